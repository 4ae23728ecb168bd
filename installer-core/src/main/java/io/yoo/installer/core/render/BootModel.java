package io.yoo.installer.core.render;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.SecureBootChain;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the maps handed to the boot-menu templates. The keys are a public contract for users
 * who override templates: docs/templates.md lists every one; keep them in step.
 */
final class BootModel {
    private BootModel() {}

    /**
     * @param onIpv6 the answer names the server's IPv6 address ({@link BootUrls#onIpv6}): the
     *               {@code server} model is then {@code [network.ipv6.server]}'s
     */
    static Map<String, Object> common(ClusterDescriptor d, BootUrls urls, boolean onIpv6) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", Map.of(
                "name", d.name(),
                "architecture", d.architecture().key(),
                "domain", d.network().domain()));
        m.put("server", onIpv6 ? server6(d) : server4(d, urls));
        m.put("grubDevice", grubDevice(d, Optional.empty(), onIpv6));
        m.put("os", Map.of(
                "channel", d.os().channel(),
                "version", d.os().version(),
                "dialect", d.os().dialect().key()));
        return m;
    }

    private static Map<String, Object> server4(ClusterDescriptor d, BootUrls urls) {
        Ipv4 server = d.network().bootServer(); // the service address when set: machines reach whichever server holds it
        int port = d.server().httpPort();
        return Map.of(
                "address", server.toString(),
                "httpPort", port,
                "baseUrl", urls.base(),
                // GRUB names an HTTP source as a device: (http,host:port)
                "grubHttp", "(http," + server + (port == 80 ? "" : ":" + port) + ")",
                // the signed GRUB of the Secure Boot chain has no http module: TFTP
                "grubTftp", SecureBootChain.grubTftpDevice(server));
    }

    /**
     * @param urls   the machine's URLs for this request ({@link BootUrls#forMachine})
     * @param onIpv6 they are on the server's IPv6 address ({@link BootUrls#onIpv6})
     */
    static Map<String, Object> machine(ClusterDescriptor d, Machine mc, BootUrls urls, boolean onIpv6, String token) {
        Map<String, Object> m = common(d, urls, onIpv6);
        BootImage image = BootImage.of(d.os());
        List<String> args = KernelCommandLine.forMachine(d, mc, urls, token);

        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("name", mc.name());
        machine.put("fqdn", mc.name() + "." + d.network().domain());
        machine.put("role", mc.role().key());
        machine.put("controlPlane", mc.role() == Role.CONTROL_PLANE);
        // IPv6-only machines: their IPv6 address (templates print it in a comment)
        machine.put("ip", mc.ipv4().map(Object::toString).or(() -> d.ipv6Of(mc).map(Object::toString)).orElse(""));
        d.ipv6Of(mc).ifPresent(a -> machine.put("ipv6", a.toString()));
        machine.put("macs", mc.macs().stream().map(BootModel::mac).toList());
        mc.primaryMac().ifPresent(p -> machine.put("primaryMac", mac(p)));
        mc.uuid().ifPresent(u -> machine.put("uuid", u.toString()));
        machine.put("labels", mc.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Map.of("key", e.getKey(), "value", e.getValue())).toList());
        m.put("machine", machine);

        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("token", token);
        boot.put("kernelUrl", urls.asset(image.kernelPath()));
        boot.put("initrdUrl", urls.asset(image.initrdPath()));
        boot.put("kernelPath", "/assets/" + image.kernelPath());
        boot.put("initrdPath", "/assets/" + image.initrdPath());
        boot.put("initrdName", image.initrdName());
        boot.put("kernelArgs", String.join(" ", args));
        boot.put("kernelArgList", args);
        boot.put("grubDevice", grubDevice(d, Optional.of(mc), onIpv6));
        boot.put("grubKernelArgs", args.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" ")));
        boot.put("dialect", KernelCommandLine.dialect(d, mc).key());
        boot.put("autologin", KernelCommandLine.autologin(d, mc));
        boot.put("ipxeScriptUrl", urls.ipxeScript(mc.name(), token));
        boot.put("liveConfigUrl", urls.liveConfig(mc.name(), token));
        boot.put("configUrl", urls.installedConfig(mc.name(), token));
        boot.put("installScriptUrl", urls.installScript(mc.name(), token));
        boot.put("kubeadmUrl", urls.kubeadm(mc.name(), token));
        boot.put("callbackUrl", urls.callback(mc.name(), token));
        m.put("boot", boot);
        return m;
    }

    /** The {@code server} model of an answer on IPv6 (an IPv6-only machine, or a request over IPv6): everything on {@code [network.ipv6.server]}. */
    private static Map<String, Object> server6(ClusterDescriptor d) {
        String host = "[" + d.ipv6().orElseThrow().server() + "]";
        int port = d.server().httpPort();
        return Map.of(
                "address", d.ipv6().orElseThrow().server().toString(),
                "httpPort", port,
                "baseUrl", d.ipv6().orElseThrow().httpBase(port),
                "grubHttp", "(http," + host + (port == 80 ? "" : ":" + port) + ")",
                "grubTftp", "(tftp," + host + ")");
    }

    /**
     * Where GRUB loads the kernel and initrd from: TFTP for the Secure Boot chain, else HTTP; on
     * {@code [network.ipv6.server]} when the answer is on IPv6, else on the IPv4 server (the
     * service address when set).
     */
    static String grubDevice(ClusterDescriptor d, Optional<Machine> mc, boolean onIpv6) {
        String server = onIpv6 ? "[" + d.ipv6().orElseThrow().server() + "]" : d.network().bootServer().toString();
        int port = d.server().httpPort();
        return SecureBootChain.wanted(d, mc) ? "(tftp," + server + ")"
                : "(http," + server + (port == 80 ? "" : ":" + port) + ")";
    }

    static Map<String, String> mac(MacAddress mac) {
        return Map.of("colon", mac.toString(), "dashed", mac.toDashed(), "hex", mac.toHex());
    }

    /**
     * The machine's file name after the MAC: its IPv4 address in hex, or (IPv6-only machines,
     * which never boot PXELINUX or GRUB over IPv4) a name no client asks for by address.
     */
    static String ipHexName(Machine m) {
        return m.ipv4().map(BootModel::ipHex).orElse("v6-" + m.name());
    }

    /** IPv4 as 8 upper-case hex digits, the name PXELINUX and GRUB try after the MAC. */
    static String ipHex(Ipv4 ip) {
        return String.format("%08X", ip.value());
    }
}
