package io.yoo.installer.http.boot;

import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Responses;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot endpoints (layout in {@link io.yoo.installer.core.boot.BootUrls}):
 * {@code /boot.ipxe} (static chain), {@code /boot/by-mac/{mac}.ipxe}, and the per-machine
 * {@code /m/{machine}/{token}/{file}} files, which are rendered by installer-core and served only
 * to their machine (token, and reserved source address when there is one). Anyone else gets 403,
 * logged at WARN. A fetch of a boot script is a sighting: the machine is booting.
 *
 * <p>Machines not in the descriptor ({@code server.allowUnknown}): {@code /boot/menu.ipxe} (also
 * answered for their {@code /boot/by-mac/} request), and the menu's {@code /profiles/{profile}/live-config}
 * and {@code POST /profiles/{profile}/report}, which carry no machine token and no secrets.
 * With allowUnknown off they answer 404.
 */
public final class BootHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(BootHandler.class);

    /** File name in the URL → what to render. */
    static final Map<String, ArtifactKind> FILES = Map.of(
            "boot.ipxe", ArtifactKind.IPXE,
            "grub.cfg", ArtifactKind.GRUB,
            "pxelinux.cfg", ArtifactKind.PXELINUX,
            "live-config", ArtifactKind.LIVE_CONFIG,
            "config", ArtifactKind.INSTALLED_CONFIG,
            "install.sh", ArtifactKind.INSTALL_SCRIPT,
            "kubeadm.yaml", ArtifactKind.KUBEADM,
            "join-token", ArtifactKind.JOIN_TOKEN,
            "join-tokens", ArtifactKind.JOIN_TOKENS);

    /**
     * The static chain script. iPXE resolves the relative URL against this script's own URL, so
     * it works whatever address the machine used to reach us. The MAC goes in with hyphens
     * ({@code ${mac:hexhyp}}): with colons, iPXE (seen: QEMU's ROM) reads "/boot/by-mac/52" as a
     * URI scheme and fails with "Operation not supported".
     */
    static final String CHAIN = """
            #!ipxe
            # Yoo Installer: fetch this machine's own script, found by its MAC
            chain --replace --autofree /boot/by-mac/${mac:hexhyp}.ipxe?uuid=${uuid}&arch=${buildarch} || goto none
            :none
            echo Yoo Installer has no boot script for ${mac} (${uuid}); booting from the next device in 10 s
            sleep 10
            exit 1
            """;

    // encoded once: every booting machine fetches these
    private static final byte[] CHAIN_SCRIPT = CHAIN.getBytes(StandardCharsets.UTF_8);
    private static final byte[] LOCAL_BOOT_SCRIPT = BootFileSelector.LOCAL_BOOT_SCRIPT.getBytes(StandardCharsets.UTF_8);

    /** The boot menu for machines not in the descriptor ({@code BootUrls.menuScript}). */
    static final String MENU_PATH = "/boot/menu.ipxe";
    private static final String PROFILES = "/profiles/";

    private final MachineArtifacts artifacts;
    private final MachineDirectory machines;
    private final ClientAccess access;
    private final Consumer<Sighting> sightings;
    private final MenuBootReports reports;

    public BootHandler(MachineArtifacts artifacts, MachineDirectory machines, ClientAccess access, Consumer<Sighting> sightings) {
        this.artifacts = artifacts;
        this.machines = machines;
        this.access = access;
        this.sightings = sightings;
        this.reports = new MenuBootReports(sightings);
    }

    /**
     * True for the boot scripts (chain, local boot, by MAC, a machine's iPXE/GRUB/PXELINUX file):
     * small, rendered once and kept, fetched by every booting machine. Configs, install scripts
     * and kubeadm files are not.
     */
    public static boolean isBootScript(String path) {
        if (path.equals("/boot.ipxe") || path.equals(BootFileSelector.LOCAL_BOOT_PATH) || path.equals(MENU_PATH)
                || path.startsWith("/boot/by-mac/")) {
            return true;
        }
        if (!path.startsWith("/m/")) {
            return false;
        }
        ArtifactKind kind = FILES.get(path.substring(path.lastIndexOf('/') + 1));
        return kind == ArtifactKind.IPXE || kind == ArtifactKind.GRUB || kind == ArtifactKind.PXELINUX;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        String[] profile = path.startsWith(PROFILES) ? path.substring(PROFILES.length()).split("/", -1) : null;
        if (profile != null && profile.length == 2 && profile[1].equals("report")) {
            if (!HttpMethod.POST.is(method)) {
                return Responses.error(response, callback, 405, "use POST");
            }
            if (artifacts.unknownMenu().isEmpty()) {
                return Responses.error(response, callback, 404, "machines not in the descriptor are not served (allowUnknown is off)");
            }
            return reports.handle(profile[0], request, response, callback);
        }
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return Responses.error(response, callback, 405, "only GET and HEAD");
        }
        if (path.equals(MENU_PATH)) {
            return menu(Optional.empty(), ClientAddress.of(request), response, callback);
        }
        if (profile != null && profile.length == 2 && profile[1].equals("live-config")) {
            Optional<Rendered> r = artifacts.profileLiveConfig(profile[0]);
            if (r.isEmpty()) {
                return Responses.error(response, callback, 404, "no live config for menu profile (allowUnknown off, or no such profile)");
            }
            Responses.noStore(response);
            return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
        }
        if (path.equals("/boot.ipxe")) {
            return Responses.send(response, callback, 200, Responses.TEXT, CHAIN_SCRIPT);
        }
        if (path.equals(BootFileSelector.LOCAL_BOOT_PATH)) {
            // the script is policy (what an installed machine boots), so it comes from installer-core
            return Responses.send(response, callback, 200, Responses.TEXT, LOCAL_BOOT_SCRIPT);
        }
        Optional<Ipv4> source = ClientAddress.of(request);
        if (path.startsWith("/boot/by-mac/") && path.endsWith(".ipxe")) {
            return byMac(path.substring("/boot/by-mac/".length(), path.length() - ".ipxe".length()), source, response, callback);
        }
        if (path.startsWith("/m/")) {
            String[] parts = path.substring(3).split("/", -1);
            if (parts.length == 3 && FILES.containsKey(parts[2])) {
                return perMachine(parts[0], parts[1], FILES.get(parts[2]), source, response, callback);
            }
        }
        return Responses.error(response, callback, 404, "no such boot file");
    }

    private boolean byMac(String macText, Optional<Ipv4> source, Response response, Callback callback) {
        MacAddress mac;
        try {
            mac = MacAddress.parse(macText);
        } catch (IllegalArgumentException e) {
            return Responses.text(response, callback, 400, "#!ipxe\necho bad MAC address\nexit 1\n");
        }
        Optional<Machine> m = machines.byMac(mac);
        if (m.isEmpty() && artifacts.unknownMenu().isPresent()) {
            return menu(Optional.of(mac), source, response, callback);
        }
        if (m.isEmpty()) {
            LOG.info("boot script asked for unknown MAC {} from {}", mac, source.map(Ipv4::toString).orElse("?"));
            return Responses.text(response, callback, 404, "#!ipxe\necho unknown machine " + mac + "\nexit 1\n");
        }
        if (access.fromReservedAddress(m.get(), source) instanceof ClientAccess.Verdict.Denied d) {
            LOG.warn("403 boot script for {} by MAC: {}", mac, d.reason());
            return Responses.text(response, callback, 403, "#!ipxe\necho forbidden\nexit 1\n");
        }
        return render(m.get(), ArtifactKind.IPXE, Optional.of(mac), source, response, callback);
    }

    /** The boot menu for a machine not in the descriptor, or 404 when they are refused. */
    private boolean menu(Optional<MacAddress> mac, Optional<Ipv4> source, Response response, Callback callback) {
        Optional<Rendered> menu = artifacts.unknownMenu();
        if (menu.isEmpty()) {
            return Responses.text(response, callback, 404, "#!ipxe\necho Yoo: no boot menu (allowUnknown is off)\nexit 1\n");
        }
        sightings.accept(new Sighting(Sighting.Protocol.HTTP, Optional.empty(), mac, source, "fetched the boot menu"));
        Responses.noStore(response);
        return Responses.send(response, callback, 200, menu.get().contentType(), menu.get().bytes());
    }

    private boolean perMachine(String name, String token, ArtifactKind kind, Optional<Ipv4> source, Response response, Callback callback) {
        ClientAccess.Verdict v = access.withToken(name, token, source);
        if (v instanceof ClientAccess.Verdict.Denied d) {
            LOG.warn("403 {} of {} for {}: {}", kind.key(), name, source.map(Ipv4::toString).orElse("?"), d.reason());
            return Responses.error(response, callback, 403, "forbidden");
        }
        return render(((ClientAccess.Verdict.Allowed) v).machine(), kind, Optional.empty(), source, response, callback);
    }

    private boolean render(Machine m, ArtifactKind kind, Optional<MacAddress> mac, Optional<Ipv4> source, Response response, Callback callback) {
        Optional<Rendered> r = artifacts.render(m.name(), kind);
        if (r.isEmpty()) {
            return Responses.error(response, callback, 404, kind.key() + " does not apply to " + m.name());
        }
        if (kind == ArtifactKind.IPXE || kind == ArtifactKind.GRUB || kind == ArtifactKind.PXELINUX) {
            sightings.accept(new Sighting(Sighting.Protocol.HTTP, Optional.of(m.name()), mac.or(m::primaryMac), source,
                    "fetched " + kind.key() + " script"));
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
    }
}
