package io.yoo.installer.core.render;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.RequestFamily;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.discovery.Discovery;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.template.Templates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Renders what a machine's firmware or boot loader reads to start the live system: the iPXE
 * script, the PXELINUX config and the GRUB config, each with the machine's kernel command line
 * (per-machine config URL, callback URL, install script URL, all carrying its token). Also the
 * files shared by all machines: the {@code /boot.ipxe} chain script, the PXELINUX
 * {@code default} menu and the GRUB {@code grub.cfg} that picks a machine's file by MAC.
 *
 * <p>Other kinds (configs, install script, kubeadm) return empty: combine with their renderer
 * through {@link CompositeArtifacts}. Thread-safe; templates are compiled once.
 *
 * <p>One renderer answers requests over one IP family ({@link #over}): its URLs name the server
 * on that family (see {@code BootUrls.forMachine}); the PXELINUX and GRUB files TFTP serves are the
 * IPv4 renderer's (IPv4 clients only).
 */
public final class BootMenuRenderer implements MachineArtifacts {
    public static final String IPXE_MACHINE = "ipxe/machine.ipxe";
    public static final String IPXE_CHAIN = "ipxe/chain.ipxe";
    public static final String PXELINUX_MACHINE = "pxelinux/machine.cfg";
    public static final String PXELINUX_MENU = "pxelinux/default.cfg";
    public static final String GRUB_MACHINE = "grub/machine.cfg";
    public static final String GRUB_MAIN = "grub/grub.cfg";
    public static final String IPXE_MENU = "ipxe/menu.ipxe";
    public static final String IPXE_DISCOVERY = "ipxe/discovery.ipxe";
    /** Seconds a boot menu waits before it boots its default entry (the original tool's 10 s). */
    public static final int MENU_TIMEOUT_SECONDS = 10;

    private final ClusterDescriptor descriptor;
    /** The URLs on the IPv4 server (or service) address; what a request over {@link #family} is given is chosen from them. */
    private final BootUrls urls4;
    /** The URLs for machines in no descriptor (menu, discovery) over {@link #family}. */
    private final BootUrls urls;
    private final RequestFamily family;
    /** The same renderer for the other family (with its own cache): what {@link #over} returns for it. */
    private final BootMenuRenderer otherFamily;
    private final MachineTokens tokens;
    private final Templates templates;
    private final Map<ArtifactKind, ConcurrentHashMap<String, Rendered>> rendered = Map.of(
            ArtifactKind.IPXE, new ConcurrentHashMap<>(),
            ArtifactKind.PXELINUX, new ConcurrentHashMap<>(),
            ArtifactKind.GRUB, new ConcurrentHashMap<>());
    private volatile Rendered ipxeMenu;

    /** @param urls the URLs on the IPv4 server address; this renderer answers requests over IPv4 ({@link #over} for IPv6) */
    public BootMenuRenderer(ClusterDescriptor descriptor, BootUrls urls, MachineTokens tokens, Templates templates) {
        this(descriptor, urls, tokens, templates, RequestFamily.IPV4, null);
    }

    private BootMenuRenderer(ClusterDescriptor descriptor, BootUrls urls4, MachineTokens tokens, Templates templates, RequestFamily family,
            BootMenuRenderer otherFamily) {
        this.descriptor = descriptor;
        this.urls4 = urls4;
        this.urls = BootUrls.forStranger(descriptor, urls4, family);
        this.family = family;
        this.tokens = tokens;
        this.templates = templates;
        this.otherFamily = otherFamily != null ? otherFamily
                : new BootMenuRenderer(descriptor, urls4, tokens, templates, family == RequestFamily.IPV4 ? RequestFamily.IPV6 : RequestFamily.IPV4, this);
    }

    /** URLs from the descriptor's server address and HTTP port. */
    public BootMenuRenderer(ClusterDescriptor descriptor, MachineTokens tokens, Templates templates) {
        this(descriptor, BootUrls.of(descriptor.network().bootServer(), descriptor.server().httpPort()), tokens, templates);
    }

    /** The renderer for requests over {@code family}; without {@code network.ipv6} both families get the same (IPv4 URLs). */
    @Override
    public BootMenuRenderer over(RequestFamily f) {
        return f == family || descriptor.ipv6().isEmpty() ? this : otherFamily;
    }

    public ClusterDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Rendered once per machine and kind, then served from memory: a boot script depends only on
     * the descriptor, the tokens and the templates, all fixed for this renderer (a reload builds a
     * new one), and a rack that powers on at once asks for thousands of them within seconds.
     */
    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        ConcurrentHashMap<String, Rendered> ofKind = rendered.get(kind);
        if (ofKind == null) {
            return Optional.empty();
        }
        Rendered cached = ofKind.get(machine);
        if (cached != null) {
            return Optional.of(cached);
        }
        return descriptor.machine(machine).map(m -> {
            Rendered r = switch (kind) {
                case IPXE -> ipxe(m);
                case PXELINUX -> pxelinux(m);
                default -> grub(m);
            };
            ofKind.put(machine, r);
            return r;
        });
    }

    private Map<String, Object> model(Machine m) {
        return BootModel.machine(descriptor, m, BootUrls.forMachine(descriptor, m, urls4, family),
                BootUrls.onIpv6(descriptor, Optional.of(m), family), tokens.tokenFor(m.name()));
    }

    /** The {@code server}/{@code grubDevice} model of what machines in no descriptor are given over this family. */
    private Map<String, Object> common() {
        return BootModel.common(descriptor, urls, BootUrls.onIpv6(descriptor, Optional.empty(), family));
    }

    Rendered ipxe(Machine m) {
        return new Rendered("ipxe/" + m.name() + ".ipxe", "text/plain", templates.render(IPXE_MACHINE, model(m)));
    }

    Rendered pxelinux(Machine m) {
        return new Rendered(pxelinuxFileName(m), "text/plain", templates.render(PXELINUX_MACHINE, model(m)));
    }

    Rendered grub(Machine m) {
        return new Rendered(grubFileName(m), "text/plain", templates.render(GRUB_MACHINE, model(m)));
    }

    /**
     * PXELINUX's name for this machine's file: by MAC ({@code 01-} is the Ethernet ARP type),
     * else by SMBIOS UUID (PXELINUX tries the UUID first).
     */
    public static String pxelinuxFileName(Machine m) {
        return "pxelinux.cfg/" + m.primaryMac().map(mac -> "01-" + mac.toDashed())
                .orElseGet(() -> m.uuid().map(Object::toString).orElse(BootModel.ipHexName(m)));
    }

    /** GRUB's name for this machine's file: by MAC, else by its fixed address in hex. */
    public static String grubFileName(Machine m) {
        return "grub/grub.cfg-" + m.primaryMac().map(mac -> "01-" + mac.toDashed()).orElse(BootModel.ipHexName(m));
    }

    /** {@code /boot.ipxe}: the static script iPXE gets first; it chains to the per-MAC script. */
    public Rendered chainScript() {
        Map<String, Object> m = common();
        m.put("scriptByMacUrl", urls.scriptByMac("${mac}"));
        return new Rendered("boot.ipxe", "text/plain", templates.render(IPXE_CHAIN, m));
    }

    /**
     * True when machines that are not in the descriptor get the boot menu
     * ({@code server.allowUnknown}); otherwise every menu file says so and boots the next device.
     */
    public boolean servesMenu() {
        return descriptor.server().allowUnknown();
    }

    /**
     * The entries of the boot menu for machines not in the descriptor: the original tool's six
     * profiles, each booting the live image with its profile's live config. Nothing in an entry
     * is per machine (no name, no token): whoever boots it is a stranger, and strangers get no
     * secrets (see installer-core/docs/unknown-machines.md).
     */
    List<Map<String, Object>> menuEntries() {
        BootImage image = BootImage.of(descriptor.os());
        List<Map<String, Object>> entries = new ArrayList<>();
        int i = 0;
        for (MenuProfile p : MenuProfile.ORIGINAL_SIX) {
            List<String> args = new ArrayList<>(List.of("console=ttyS0,115200n8", "console=tty0"));
            args.addAll(KernelCommandLine.liveConfigArgs(descriptor.os().dialect(), urls.profileLiveConfig(p.profile())));
            args.add("yoo.profile=" + p.profile());
            args.add("yoo.callback=" + urls.profileReport(p.profile()));
            args.addAll(p.extraArgs());
            args.addAll(descriptor.os().kernelArgs());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("number", ++i);
            e.put("label", p.profile());
            e.put("title", p.title());
            e.put("profile", p.profile());
            e.put("default", p.isDefault());
            e.put("kernelUrl", urls.asset(image.kernelPath()));
            e.put("initrdUrl", urls.asset(image.initrdPath()));
            e.put("kernelPath", "/assets/" + image.kernelPath());
            e.put("initrdPath", "/assets/" + image.initrdPath());
            e.put("initrdName", image.initrdName());
            e.put("liveConfigUrl", urls.profileLiveConfig(p.profile()));
            e.put("kernelArgs", String.join(" ", args));
            e.put("grubKernelArgs", args.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" ")));
            entries.add(e);
        }
        return entries;
    }

    private Map<String, Object> menuModel() {
        Map<String, Object> m = common();
        m.put("allowUnknown", servesMenu());
        m.put("entries", servesMenu() ? menuEntries() : List.of());
        m.put("defaultProfile", MenuProfile.defaultProfile().profile());
        m.put("timeoutSeconds", MENU_TIMEOUT_SECONDS);
        m.put("timeoutTenths", MENU_TIMEOUT_SECONDS * 10);
        m.put("timeoutMillis", MENU_TIMEOUT_SECONDS * 1000);
        return m;
    }

    /**
     * {@code /boot/menu.ipxe}: the iPXE boot menu for machines not in the descriptor; empty when
     * they are refused ({@code allowUnknown: false}).
     */
    public Optional<Rendered> ipxeMenu() {
        if (!servesMenu()) {
            return Optional.empty();
        }
        Rendered menu = ipxeMenu;  // rendered once, like the machines' scripts: every stranger asks for it
        if (menu == null) {
            menu = new Rendered("menu.ipxe", "text/plain", templates.render(IPXE_MENU, menuModel()));
            ipxeMenu = menu;
        }
        return Optional.of(menu);
    }

    @Override
    public Optional<Rendered> unknownMenu() {
        return ipxeMenu();
    }

    /**
     * {@code pxelinux.cfg/default}, which PXELINUX reads when no file is named after the machine:
     * with {@code allowUnknown} the original tool's six-entry menu, else a single entry that
     * boots the next device.
     */
    public Rendered pxelinuxMenu() {
        return new Rendered("pxelinux.cfg/default", "text/plain", templates.render(PXELINUX_MENU, menuModel()));
    }

    /**
     * {@code grub/grub.cfg}: finds the machine's own file by MAC or address; else, with
     * {@code allowUnknown}, the boot menu, or an entry that exits to the next boot option.
     */
    public Rendered grubMain() {
        Map<String, Object> m = menuModel();
        List<Map<String, Object>> machines = new ArrayList<>();
        for (Machine mc : descriptor.machines()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", mc.name());
            mc.ipv4().ifPresent(ip -> e.put("ip", ip.toString())); // none for an IPv6-only machine
            e.put("macs", mc.macs().stream().map(BootModel::mac).toList());
            e.put("file", grubFileName(mc).substring("grub/".length()));
            machines.add(e);
        }
        m.put("machines", machines);
        m.put("defaultIndex", MenuProfile.ORIGINAL_SIX.indexOf(MenuProfile.defaultProfile()));
        return new Rendered("grub/grub.cfg", "text/plain", templates.render(GRUB_MAIN, m));
    }

    @Override
    public boolean discoversUnknown() {
        return Discovery.enabled(descriptor);
    }

    /**
     * The iPXE script of a machine in no descriptor when discovery is on: the live image with the
     * discovery config of this MAC (its URL carries the enrollment token). Rendered per request:
     * each one carries a fresh token.
     */
    @Override
    public Optional<Rendered> discoveryScript(MacAddress mac, String enrollmentToken) {
        if (!discoversUnknown() || !EnrollmentTokens.SHAPE.matcher(enrollmentToken).matches()) {
            return Optional.empty();
        }
        BootImage image = BootImage.of(descriptor.os());
        List<String> args = new ArrayList<>(List.of("console=ttyS0,115200n8", "console=tty0"));
        args.addAll(KernelCommandLine.liveConfigArgs(descriptor.os().dialect(), urls.discoveryLiveConfig(mac.toDashed(), enrollmentToken)));
        if (descriptor.os().autologin()) {
            args.add("flatcar.autologin");
        }
        args.add("yoo.discovery=" + urls.discoveryBase(mac.toDashed()) + "/" + enrollmentToken);
        // the e2e test OS (no Ignition) runs what yoo.script names, as it does the install script
        args.add("yoo.script=" + urls.discoveryProgram(mac.toDashed(), enrollmentToken));
        args.addAll(descriptor.os().kernelArgs());
        Map<String, Object> m = common();
        m.put("kernelUrl", urls.asset(image.kernelPath()));
        m.put("initrdUrl", urls.asset(image.initrdPath()));
        m.put("initrdName", image.initrdName());
        m.put("kernelArgs", String.join(" ", args));
        return Optional.of(new Rendered("discovery-" + mac.toDashed() + ".ipxe", "text/plain", templates.render(IPXE_DISCOVERY, m)));
    }

    /** The files shared by all machines, for {@code yoo render --out}. */
    public List<Rendered> sharedFiles() {
        List<Rendered> files = new ArrayList<>(List.of(chainScript(), pxelinuxMenu(), grubMain()));
        ipxeMenu().ifPresent(files::add);
        return List.copyOf(files);
    }
}
