package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitStart;
import static io.yoo.installer.cli.ServeBed.serve;
import static io.yoo.installer.cli.ServeBed.stop;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.cli.ServeBed.Served;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo serve} with {@code network.ipv6}, in namespaces this test makes, against real peers:
 * ISC {@code dhclient -6} (saying it is iPXE: user class option 15) gets the machine's reserved
 * IPv6 address by the MAC in its DUID and, as option 59, its per-machine iPXE script URL on the
 * server's IPv6 address; curl fetches that script over IPv6 from the reserved address (and is
 * refused from another one): the dual-stack machine's script and install script asked over IPv6
 * name the server's IPv6 address, asked over IPv4 its IPv4 one, and its reports over each family are
 * kept as its lastIpv6 and lastIp; and fetches a file over TFTP on IPv6.
 */
class ServeIpv6Test {
    private static final String MAC = "52:54:00:a6:00:11";
    private static final Pattern IP = Pattern.compile("ip=(\\S+)");
    private static final Pattern URL = Pattern.compile("url=(http\\S+)");

    @TempDir
    Path dir;

    @Test
    void dhclient6GetsTheReservedAddressAndScriptUrlAndCurlFetchesOverIpv6() throws Exception {
        Peers.requireCommands("dhclient", "curl", "ip");
        try (NetNs srv = ServeBed.withoutDad("6v"); NetNs cli = ServeBed.withoutDad("6w")) {
            String[] ifs = NetNs.link(srv, "fd00:a6::1/64", cli, null);
            srv.exec(10, "ip", "addr", "add", "10.66.0.1/24", "dev", ifs[0]);
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", MAC);
            int httpPort = ServeBed.freePort();
            Path tftpRoot = Files.createDirectories(dir.resolve("tftp"));
            Files.writeString(tftpRoot.resolve("snponly.efi"), "not really iPXE, but the bytes TFTP must bring over IPv6\n");
            Files.writeString(dir.resolve("cluster.yml"), """
                    cluster: six
                    architecture: dev
                    network:
                      interface: %s
                      server: 10.66.0.1
                      subnet: 10.66.0.0/24
                      dhcp: full
                      ipv6:
                        server: "fd00:a6::1"
                        prefix: "fd00:a6::/64"
                        pool: "fd00:a6::100-fd00:a6::1ff"
                        dns: ["fd00:a6::53"]
                    server: { httpPort: %d, stateDir: state, assetDir: assets }
                    os: { version: 4081.2.0 }
                    machines:
                      - { name: m1, mac: "%s", ip: 10.66.0.11, ipv6: "fd00:a6::11" }
                    """.formatted(ifs[0], httpPort, MAC));
            Served out = serve(srv, dir, "--tftp-root", tftpRoot.toString());
            try {
                awaitStart(out, out);
                assertThat(out.text()).contains("DHCPv6 on " + ifs[0]);

                String lease = dhclient6(cli, ifs[1]);
                assertThat(lease).as("dhclient -6 output; server:\n%s", out.text()).containsPattern(IP);
                Matcher ip = IP.matcher(lease);
                ip.find();
                assertThat(ip.group(1)).isEqualTo("fd00:a6::11");
                Matcher url = URL.matcher(lease);
                assertThat(url.find()).as("option 59 in %s; server:\n%s", lease, out.text()).isTrue();
                String script = url.group(1);
                assertThat(script).startsWith("http://[fd00:a6::1]:" + httpPort + "/m/m1/").endsWith("/boot.ipxe");

                // the reserved address fetches its script over IPv6; another address of the link does not
                cli.exec(10, "ip", "-6", "addr", "add", "fd00:a6::11/64", "dev", ifs[1], "nodad");
                cli.exec(10, "ip", "-6", "addr", "add", "fd00:a6::99/64", "dev", ifs[1], "nodad");
                String got = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::11", "-w", "\ncode=%{http_code}", script);
                String base6 = "http://[fd00:a6::1]:" + httpPort;
                // m1 is dual-stack: asked over IPv6, its script sends it on over IPv6 (kernel, initrd, configs, callback)
                assertThat(got).as("script over IPv6").startsWith("#!ipxe").contains("code=200")
                        .contains("kernel " + base6 + "/assets/", "initrd " + base6 + "/assets/", "yoo.script=" + base6 + "/m/m1/",
                                "yoo.callback=" + base6 + "/api/v1/machines/m1/events?token=")
                        .doesNotContain("http://10.66.0.1"); // (its comment names its own ip, 10.66.0.11)
                String machineBase = script.substring(0, script.length() - "/boot.ipxe".length());
                assertThat(cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::11", machineBase + "/install.sh"))
                        .as("install script over IPv6").contains("CONFIG_URL='" + machineBase + "/config'", "ASSETS='" + base6 + "/assets'")
                        .doesNotContain("http://10.66.0.1");
                // the same machine asking over IPv4, from its ip, is sent on over IPv4
                cli.exec(10, "ip", "addr", "add", "10.66.0.11/24", "dev", ifs[1]);
                String base4 = "http://10.66.0.1:" + httpPort;
                String got4 = cli.exec(20, "curl", "-sS", "--max-time", "10", "--interface", "10.66.0.11", "-w", "\ncode=%{http_code}",
                        base4 + script.substring(base6.length()));
                assertThat(got4).as("script over IPv4").startsWith("#!ipxe").contains("code=200")
                        .contains("kernel " + base4 + "/assets/", "yoo.script=" + base4 + "/m/m1/").doesNotContain("[fd00:a6::1]");

                // its reports keep the last address of each family: over IPv6 lastIpv6, over IPv4 lastIp (the API shows both)
                String token = script.substring((base6 + "/m/m1/").length(), script.length() - "/boot.ipxe".length());
                String events = "/api/v1/machines/m1/events?token=" + token;
                assertThat(cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::11", "-H", "Content-Type: application/json",
                        "--data", "{\"phase\":\"time-sync\",\"status\":\"started\"}", "-o", "/dev/null", "-w", "%{http_code}", base6 + events))
                        .as("a report over IPv6").isEqualTo("200");
                String admin = Files.readString(dir.resolve("state/admin-token")).strip();
                String view = srv.exec(20, "curl", "-sS", "--max-time", "10", "-H", "Authorization: Bearer " + admin,
                        "http://127.0.0.1:" + httpPort + "/api/v1/machines/m1");
                assertThat(view).as("machine m1 after a report over IPv6").contains("\"lastIpv6\":\"fd00:a6::11\"");
                cli.exec(20, "curl", "-sS", "--max-time", "10", "--interface", "10.66.0.11", "-H", "Content-Type: application/json",
                        "--data", "{\"phase\":\"time-sync\",\"status\":\"succeeded\"}", "-o", "/dev/null", base4 + events);
                view = srv.exec(20, "curl", "-sS", "--max-time", "10", "-H", "Authorization: Bearer " + admin,
                        "http://127.0.0.1:" + httpPort + "/api/v1/machines/m1");
                assertThat(view).as("machine m1 after a report over IPv4").contains("\"lastIp\":\"10.66.0.11\"", "\"lastIpv6\":\"fd00:a6::11\"");
                String other = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::99", "-o", "/dev/null",
                        "-w", "code=%{http_code}", script);
                assertThat(other).isEqualTo("code=403");

                // TFTP on the server's IPv6 address: what UEFI IPv6 PXE fetches (tftp://[server]/snponly.efi)
                String tftp = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "tftp://[fd00:a6::1]/snponly.efi");
                assertThat(tftp).isEqualTo(Files.readString(tftpRoot.resolve("snponly.efi")));
            } finally {
                stop(out);
            }
        }
    }

    /**
     * An IPv6-only machine (machines[].ipv6, no ip; issue #19): DHCPv4 does not answer it (busybox
     * udhcpc gets no lease), dhclient -6 gets its address and script URL; the script, its live
     * config and install script fetched over IPv6 name only http://[server]:port URLs; from an IPv4
     * address its token URLs are refused.
     */
    @Test
    void anIpv6OnlyMachineBootsOverIpv6OnlyWithUrlsInBrackets() throws Exception {
        Peers.requireCommands("dhclient", "curl", "ip", "busybox");
        String mac = "52:54:00:a6:00:12";
        try (NetNs srv = ServeBed.withoutDad("6x"); NetNs cli = ServeBed.withoutDad("6y")) {
            String[] ifs = NetNs.link(srv, "fd00:a6::1/64", cli, null);
            srv.exec(10, "ip", "addr", "add", "10.66.0.1/24", "dev", ifs[0]);
            cli.exec(10, "ip", "link", "set", "dev", ifs[1], "address", mac);
            int httpPort = ServeBed.freePort();
            Path tftpRoot = Files.createDirectories(dir.resolve("tftp"));
            Files.writeString(dir.resolve("cluster.yml"), """
                    cluster: six
                    architecture: devtest
                    network:
                      interface: %s
                      server: 10.66.0.1
                      subnet: 10.66.0.0/24
                      dhcp: full
                      pool: 10.66.0.100-10.66.0.150
                      ipv6:
                        server: "fd00:a6::1"
                        prefix: "fd00:a6::/64"
                    server: { httpPort: %d, stateDir: state, assetDir: assets }
                    os: { version: 4081.2.0 }
                    machines:
                      - { name: cp, mac: "52:54:00:a6:00:01", ip: 10.66.0.11, ipv6: "fd00:a6::11", role: control-plane }
                      - { name: m2, mac: "%s", ipv6: "fd00:a6::12" }
                    """.formatted(ifs[0], httpPort, mac));
            Served out = serve(srv, dir, "--tftp-root", tftpRoot.toString());
            try {
                awaitStart(out, out);
                // DHCPv4: a pool exists, yet the IPv6-only machine gets no IPv4 lease (3 DISCOVERs, 1 s apart)
                NetNs.Result v4 = cli.run(20, "busybox", "udhcpc", "-i", ifs[1], "-n", "-q", "-f", "-t", "3", "-T", "1",
                        "-s", "/bin/true");
                assertThat(v4.exit()).as("udhcpc must get no lease: %s; server:\n%s", v4.output(), out.text()).isNotZero();

                String lease = dhclient6(cli, ifs[1]);
                Matcher ip = IP.matcher(lease);
                assertThat(ip.find()).as("dhclient -6 output %s; server:\n%s", lease, out.text()).isTrue();
                assertThat(ip.group(1)).isEqualTo("fd00:a6::12");
                Matcher url = URL.matcher(lease);
                assertThat(url.find()).as("option 59 in %s", lease).isTrue();
                String base = "http://[fd00:a6::1]:" + httpPort;
                String script = url.group(1);
                assertThat(script).startsWith(base + "/m/m2/").endsWith("/boot.ipxe");

                cli.exec(10, "ip", "-6", "addr", "add", "fd00:a6::12/64", "dev", ifs[1], "nodad");
                String ipxe = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::12", script);
                assertThat(ipxe).as("the script over IPv6").startsWith("#!ipxe").contains("kernel " + base + "/assets/",
                        "initrd " + base + "/assets/", "ignition.config.url=" + base + "/m/m2/", "yoo.script=" + base + "/m/m2/")
                        .doesNotContain("10.66.0.1");
                String machineBase = script.substring(0, script.length() - "/boot.ipxe".length());
                String live = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::12", machineBase + "/live-config");
                assertThat(withFilesDecoded(live)).as("live config over IPv6").contains("URL='" + machineBase + "/install.sh'")
                        .doesNotContain("10.66.0.1");
                String install = cli.exec(20, "curl", "-sS", "-g", "--max-time", "10", "--interface", "fd00:a6::12", machineBase + "/install.sh");
                assertThat(install).as("install script over IPv6").startsWith("#!/bin/sh").contains("'" + base + "/assets'")
                        .doesNotContain("10.66.0.1");

                // over IPv4 its token URLs are refused: it has no IPv4 address to come from
                cli.exec(10, "ip", "addr", "add", "10.66.0.12/24", "dev", ifs[1]);
                String v4Script = "http://10.66.0.1:" + httpPort + script.substring(base.length());
                assertThat(cli.exec(20, "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "code=%{http_code}", v4Script))
                        .isEqualTo("code=403");
            } finally {
                stop(out);
            }
        }
    }

    /** An Ignition config with its files' base64 contents decoded after it. */
    private static String withFilesDecoded(String ignition) {
        StringBuilder out = new StringBuilder(ignition);
        Matcher m = Pattern.compile("base64,([A-Za-z0-9+/=]+)").matcher(ignition);
        while (m.find()) {
            out.append('\n').append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /**
     * One bounded dhclient -6 run saying it is iPXE (user class "iPXE" in RFC 8415's length-prefixed
     * form; ISC dhclient names no option 15 in the dhcp6 space, so the config defines it) and asking for option 59.
     */
    private String dhclient6(NetNs cli, String iface) throws Exception {
        Path outFile = dir.resolve("dhclient.out");
        Path conf = dir.resolve("dhclient6.conf");
        Files.writeString(conf, """
                option dhcp6.yoo-user-class code 15 = string;
                send dhcp6.yoo-user-class 00:04:69:50:58:45;
                also request dhcp6.bootfile-url;
                """);
        Path sc = dir.resolve("dhclient.sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$reason\" = BOUND6 ] && echo \"ip=$new_ip6_address url=$new_dhcp6_bootfile_url\" >> "
                + outFile + "\nenv | grep -i 'dhcp6\\|reason' >> " + outFile + ".env\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        NetNs.Result r = cli.run(45, "dhclient", "-6", "-1", "-cf", conf.toString(), "-sf", sc.toString(),
                "-pf", dir.resolve("dhclient.pid").toString(), "-lf", dir.resolve("dhclient.leases").toString(), iface);
        Path env = Path.of(outFile + ".env");
        return (Files.exists(outFile) ? Files.readString(outFile) : "") + "\nENV " + (Files.exists(env) ? Files.readString(env) : "")
                + "\n(dhclient exit " + r.exit() + ": " + r.output() + ")";
    }
}
