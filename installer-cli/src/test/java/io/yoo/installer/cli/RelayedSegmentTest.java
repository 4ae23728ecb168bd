package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLog;
import static io.yoo.installer.cli.ServeBed.yoo;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code network.subnets} with real peers: {@code yoo serve} in a namespace on segment A
 * (10.83.0.0/24), ISC {@code dhcrelay} in a router namespace between A and segment B
 * (10.83.1.0/25), busybox udhcpc on B. A stranger on B gets an address of B's pool with B's router
 * and DNS; a descriptor machine on B gets its reserved address and the server's address as
 * next-server; through the router it then fetches its boot program by TFTP and its iPXE script and
 * installed config by HTTP, and that config gives it B's prefix, router and DNS.
 */
class RelayedSegmentTest {
    static final String SERVER = "10.83.0.1";
    static final String FAR_MAC = "52:54:00:83:01:14";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab";

    @TempDir
    Path dir;

    @Test
    void machinesBehindDhcrelayGetTheirSegmentsLeaseAndBootAcrossTheRouter() throws Exception {
        Peers.requireCommands("busybox", "dhcrelay", "curl");
        try (NetNs srv = NetNs.create("gs"); NetNs router = NetNs.create("gr"); NetNs cli = NetNs.create("gc")) {
            String[] a = NetNs.link(srv, SERVER + "/24", router, "10.83.0.2/24");
            String[] b = NetNs.link(router, "10.83.1.1/25", cli, null);
            router.exec(10, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            byte[] bootProgram = new byte[70_000];
            for (int i = 0; i < bootProgram.length; i++) {
                bootProgram[i] = (byte) (i * 31 + 7);
            }
            Files.write(Files.createDirectories(dir.resolve("assets/ipxe")).resolve("undionly.kpxe"), bootProgram);
            Path cluster = dir.resolve("cluster.yml");
            Files.writeString(cluster, descriptor(a[0]));

            // on the server without a route to B, validate says B's pool is unreachable and serve refuses to start
            String noRoute = "network.subnets[1].relay: this host has no route to the relay agent 10.83.1.1 of 10.83.1.0/25";
            assertThat(srv.run(60, yoo("validate", cluster.toString())).output()).contains("warning: " + noRoute);
            NetNs.Result refused = srv.run(60, yoo("serve", cluster.toString()));
            assertThat(refused.exit()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains("yoo serve: " + noRoute);
            srv.exec(10, "ip", "route", "add", "10.83.1.0/25", "via", "10.83.0.2");
            assertThat(srv.run(60, yoo("validate", cluster.toString())).output()).doesNotContain("warning").contains("OK");
            Path serveLog = dir.resolve("serve.log");
            srv.start(Redirect.to(serveLog.toFile()), yoo("serve", cluster.toString()));
            awaitLog(serveLog, "started in", 60);
            router.start(Redirect.to(dir.resolve("dhcrelay.log").toFile()), "dhcrelay", "-4", "-d", "-iu", a[1], "-id", b[0], SERVER);

            // a stranger on B: B's pool, router, DNS and lease time, through the relay (udhcpc retries until dhcrelay listens)
            Path stranger = dir.resolve("stranger.out");
            udhcpc(cli, b[1], stranger, List.of());
            assertThat(Files.readString(stranger)).as(logs()).matches(
                    "(?s)ip=10\\.83\\.1\\.1(0[0-9]|10) router=10\\.83\\.1\\.1 dns=10\\.83\\.1\\.53 mask=255\\.255\\.255\\.128 lease=600 .*");

            // the descriptor's far-1, PXE firmware: its reservation, and the server as next-server
            cli.exec(10, "ip", "link", "set", "dev", b[1], "address", FAR_MAC);
            Path far = dir.resolve("far.out");
            udhcpc(cli, b[1], far, List.of("-V", "PXEClient:Arch:00000:UNDI:002001"));
            assertThat(Files.readString(far)).as(logs()).startsWith(
                    "ip=10.83.1.20 router=10.83.1.1 dns=10.83.1.53 mask=255.255.255.128 lease=600 siaddr=" + SERVER + " boot_file=undionly.kpxe");

            // its address as DHCP gave it; everything else goes through the router
            cli.exec(10, "ip", "addr", "add", "10.83.1.20/25", "dev", b[1]);
            cli.exec(10, "ip", "route", "add", "default", "via", "10.83.1.1");
            Path got = dir.resolve("got.kpxe");
            cli.exec(30, "busybox", "tftp", "-g", "-r", "undionly.kpxe", "-l", got.toString(), SERVER);
            assertThat(Files.readAllBytes(got)).isEqualTo(bootProgram);

            String script = cli.exec(30, "curl", "-sSf", "--max-time", "20", "http://" + SERVER + ":8080/boot/by-mac/" + FAR_MAC + ".ipxe");
            Matcher base = Pattern.compile("http://10\\.83\\.0\\.1:8080/m/far-1/[A-Za-z0-9_-]+/").matcher(script);
            assertThat(base.find()).as(script).isTrue();
            assertThat(script).doesNotContain("10.83.1.1:");
            // configs carry the cluster CA's hash: a new cluster's keys are generated in the background first
            awaitLog(dir.resolve("serve.log"), "generated cluster secrets", 120);
            String config = cli.exec(60, "curl", "-sSf", "--max-time", "50", base.group() + "config");
            Matcher unit = Pattern.compile("\"path\"\\s*:\\s*\"/etc/systemd/network/00-yoo-install.network\".*?\"source\"\\s*:\\s*"
                    + "\"data:;base64,([A-Za-z0-9+/=]+)\"", Pattern.DOTALL).matcher(config);
            assertThat(unit.find()).as(config).isTrue();
            assertThat(new String(Base64.getDecoder().decode(unit.group(1)), StandardCharsets.UTF_8))
                    .contains("MACAddress=" + FAR_MAC, "Address=10.83.1.20/25", "Gateway=10.83.1.1", "DNS=10.83.1.53");
        }
    }

    private String descriptor(String iface) {
        return """
                cluster: relaylab
                architecture: devtest
                network:
                  interface: %s
                  server: %s
                  subnets:
                    - cidr: 10.83.0.0/24
                      gateway: 10.83.0.254
                      dns: 10.83.0.53
                    - cidr: 10.83.1.0/25
                      relay: 10.83.1.1
                      gateway: 10.83.1.1
                      pool: 10.83.1.100-10.83.1.110
                      dns: 10.83.1.53
                      leaseSeconds: 600
                server: { stateDir: %s, assetDir: %s }
                os: { version: 4081.2.0 }
                sshKeys: ["%s"]
                machines:
                  - { name: near-1, mac: "52:54:00:83:00:0a", ip: 10.83.0.10, role: control-plane }
                  - { name: far-1, mac: "%s", ip: 10.83.1.20 }
                """.formatted(iface, SERVER, dir.resolve("state"), dir.resolve("assets"), SSH_KEY, FAR_MAC);
    }

    /** One DHCP exchange; the script records what the client was given. */
    private void udhcpc(NetNs cli, String iface, Path out, List<String> extra) throws Exception {
        Path sc = dir.resolve(out.getFileName() + ".sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"ip=$ip router=$router dns=$dns mask=$subnet lease=$lease"
                + " siaddr=$siaddr boot_file=$boot_file\" >> " + out + "\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("busybox", "udhcpc", "-i", iface, "-n", "-q", "-f", "-t", "10", "-T", "2",
                "-s", sc.toString()));
        cmd.addAll(extra);
        NetNs.Result r = cli.run(60, cmd.toArray(String[]::new));
        assertThat(Files.exists(out)).as("udhcpc got no lease:\n" + r.output() + "\n" + logs()).isTrue();
    }

    private String logs() {
        return new ServeBed(dir).logs("serve.log", "dhcrelay.log");
    }
}
