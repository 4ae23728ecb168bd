package io.yoo.installer.core.boot;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import java.util.Optional;

/**
 * The URL layout of Yoo's HTTP server: one place that renderers (which put URLs in iPXE scripts
 * and kernel command lines) and the HTTP module (which serves them) both use. Per-machine URLs
 * carry the machine's token; the HTTP server also checks the source address.
 *
 * <pre>
 * /boot.ipxe                                    static chain: asks for the per-machine script by ${mac}
 * /boot/by-mac/{mac}.ipxe                       per-machine iPXE script, looked up by MAC (iPXE ${mac});
 *                                               the boot menu for a MAC in no descriptor (allowUnknown)
 * /boot/menu.ipxe                               boot menu for machines not in the descriptor (allowUnknown)
 * /profiles/{profile}/live-config               live config of a menu entry: no machine token, no secrets
 * /profiles/{profile}/report                    where a machine booted from the menu says so (POST)
 * /m/{machine}/{token}/boot.ipxe                per-machine iPXE script
 * /m/{machine}/{token}/live-config              live-boot config (Ignition / cloud-config)
 * /m/{machine}/{token}/config                   installed-system config
 * /m/{machine}/{token}/install.sh               install script
 * /m/{machine}/{token}/kubeadm.yaml             kubeadm config
 * /m/{machine}/{token}/join-token               the machine's current kubeadm join token
 * /m/{machine}/{token}/join-tokens              control plane: the join tokens to create
 * /api/v1/machines/{machine}/events             progress callback (POST, token in header or query)
 * /api/v1/machines/{machine}/log                the install script's whole log (POST, token as for events)
 * /discovery/{mac}/{enrollment token}/live-config discovery live config of a machine in no descriptor
 * /discovery/{mac}/{enrollment token}/status     "was I enrolled?" (plus a fresh token)
 * /discovery/{mac}/{enrollment token}/discover.sh the discovery script alone (the e2e test OS's yoo.script)
 * /api/v1/discovered                             inventory report (POST, enrollment token as bearer)
 * /assets/...                                   asset directory (Flatcar images, Kubernetes bundle)
 * </pre>
 */
public record BootUrls(String base) {

    public BootUrls {
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public static BootUrls of(Ipv4 server, int port) {
        return new BootUrls("http://" + server + (port == 80 ? "" : ":" + port));
    }

    /**
     * The URLs a machine is given in answer to a request that came over {@code family}: on
     * {@code http://[network.ipv6.server]:port} when it talks IPv6 (a dual-stack machine that
     * network-boots over IPv6) or is IPv6-only ({@code machines[].ipv6} and no {@code ip}: it has
     * nothing else), else {@code ipv4} (the URLs on the IPv4 server or service address). Without
     * {@code network.ipv6} there is no IPv6 server address to name: always {@code ipv4}.
     */
    public static BootUrls forMachine(ClusterDescriptor d, Machine m, BootUrls ipv4, RequestFamily family) {
        return onIpv6(d, Optional.of(m), family) ? ipv6(d) : ipv4;
    }

    /** As {@link #forMachine} for a machine in no descriptor (boot menu, discovery): the family alone decides. */
    public static BootUrls forStranger(ClusterDescriptor d, BootUrls ipv4, RequestFamily family) {
        return onIpv6(d, Optional.empty(), family) ? ipv6(d) : ipv4;
    }

    /**
     * True when what is rendered for {@code m} (empty: a stranger) in answer to a request over
     * {@code family} names the server's IPv6 address: the one rule {@link #forMachine} and the
     * boot loader models ({@code server.address}, GRUB's device) share.
     */
    public static boolean onIpv6(ClusterDescriptor d, Optional<Machine> m, RequestFamily family) {
        return d.ipv6().isPresent() && (family == RequestFamily.IPV6 || m.filter(Machine::ipv6Only).isPresent());
    }

    private static BootUrls ipv6(ClusterDescriptor d) {
        return new BootUrls(d.ipv6().orElseThrow().httpBase(d.server().httpPort()));
    }

    public String chainScript() {
        return base + "/boot.ipxe";
    }

    /** The iPXE boot menu for machines that are not in the descriptor ({@code server.allowUnknown}). */
    public String menuScript() {
        return base + "/boot/menu.ipxe";
    }

    /** Live config of a boot-menu profile (the same for every unknown machine: it carries no token). */
    public String profileLiveConfig(String profile) {
        return base + "/profiles/" + profile + "/live-config";
    }

    /** Where a machine that booted a menu profile reports it (POST, no token: it has none). */
    public String profileReport(String profile) {
        return base + "/profiles/" + profile + "/report";
    }

    public String scriptByMac(String macColon) {
        return base + "/boot/by-mac/" + macColon + ".ipxe";
    }

    public String machineBase(String machine, String token) {
        return base + "/m/" + machine + "/" + token;
    }

    public String ipxeScript(String machine, String token) {
        return machineBase(machine, token) + "/boot.ipxe";
    }

    public String liveConfig(String machine, String token) {
        return machineBase(machine, token) + "/live-config";
    }

    public String installedConfig(String machine, String token) {
        return machineBase(machine, token) + "/config";
    }

    public String installScript(String machine, String token) {
        return machineBase(machine, token) + "/install.sh";
    }

    public String kubeadm(String machine, String token) {
        return machineBase(machine, token) + "/kubeadm.yaml";
    }

    /** Where the install script POSTs its progress; it sends the token as {@code ?token=}. */
    public String joinToken(String machine, String token) {
        return machineBase(machine, token) + "/join-token";
    }

    public String joinTokens(String machine, String token) {
        return machineBase(machine, token) + "/join-tokens";
    }

    public String callback(String machine, String token) {
        return base + "/api/v1/machines/" + machine + "/events?token=" + token;
    }

    /** Where the install script uploads its whole log (gzip or text), token as {@code ?token=} like {@link #callback}. */
    public String installLog(String machine, String token) {
        return base + "/api/v1/machines/" + machine + "/log?token=" + token;
    }

    /** Where a discovered machine's status URLs start: add {@code /TOKEN/status} or {@code /TOKEN/live-config}. */
    public String discoveryBase(String macDashed) {
        return base + "/discovery/" + macDashed;
    }

    public String discoveryLiveConfig(String macDashed, String enrollmentToken) {
        return discoveryBase(macDashed) + "/" + enrollmentToken + "/live-config";
    }

    /** The discovery script alone (for the e2e test OS's {@code yoo.script=}). */
    public String discoveryProgram(String macDashed, String enrollmentToken) {
        return discoveryBase(macDashed) + "/" + enrollmentToken + "/discover.sh";
    }

    /** Where a discovered machine POSTs its inventory (enrollment token as bearer). */
    public String discoveredReport() {
        return base + "/api/v1/discovered";
    }

    public String asset(String relativePath) {
        return base + "/assets/" + relativePath;
    }
}
