package io.yoo.installer.cli;

import static io.yoo.installer.cli.ServeBed.awaitLog;
import static io.yoo.installer.cli.ServeBed.yoo;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
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
 * {@code yoo change-ip} with real peers: {@code yoo serve} with its DHCP server in one namespace,
 * busybox udhcpc in another as the machine. w-1 (in the hand-written descriptor) gets 10.84.0.21;
 * {@code yoo change-ip w-1 10.84.0.31} rewrites that one value in place (comments and layout
 * kept), the server reloads, the record is reset for the reinstall, and the same MAC asking again
 * (even for its old address) is given 10.84.0.31, the address its rendered network unit now
 * carries. w-2 lives in the Yoo-owned machinesFrom file and moves there. Addresses in the pool,
 * another machine's, the server's, the gateway's, outside the segment, and a control-plane
 * machine are refused with the reason, the files untouched.
 */
class ChangeIpTest {
    static final String SERVER = "10.84.0.1";
    static final String W1_MAC = "52:54:00:84:00:15";
    static final String W2_MAC = "52:54:00:84:00:16";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab";
    static final String ENROLLED = """
            # Written by Yoo Installer: machines enrolled from discovery (yoo enroll, the API, the UI).
            # The descriptor includes it (machinesFrom). Yoo appends to it; edits by hand are kept.
            machines:
              # discovered machine #3, serial S3, enrolled 2026-12-05T00:00:00Z
              - name: "w-2"
                mac: "52:54:00:84:00:16"
                ip: "10.84.0.22"
                role: "worker"
            """;

    @TempDir
    Path dir;

    @Test
    void aWorkerMovesInTheDescriptorAndDhcpAndIsResetForItsReinstall() throws Exception {
        Peers.requireCommands("busybox", "curl");
        try (NetNs srv = NetNs.create("ms"); NetNs cli = NetNs.create("mc")) {
            String[] link = NetNs.link(srv, SERVER + "/24", cli, null);
            Path cluster = dir.resolve("cluster.yml");
            String descriptor = descriptor(link[0]);
            Files.writeString(cluster, descriptor);
            Path enrolled = dir.resolve("enrolled.yml");
            Files.writeString(enrolled, ENROLLED);
            Path serveLog = dir.resolve("serve.log");
            srv.start(Redirect.to(serveLog.toFile()), yoo("serve", cluster.toString()));
            awaitLog(serveLog, "started in", 90);

            // the installed machine as DHCP knows it
            cli.exec(10, "ip", "link", "set", "dev", link[1], "address", W1_MAC);
            assertThat(udhcpc(cli, link[1], "before", List.of())).startsWith("ip=10.84.0.21 ");

            // refused: each with its reason, nothing written
            assertRefused(srv, "w-1", "10.84.0.105", "10.84.0.105 is in the dynamic pool 10.84.0.100-10.84.0.110 of 10.84.0.0/24");
            assertRefused(srv, "w-1", "10.84.0.22", "10.84.0.22 is w-2's address");
            assertRefused(srv, "w-1", SERVER, "10.84.0.1 is the server's address");
            assertRefused(srv, "w-1", "10.84.0.254", "10.84.0.254 is the gateway of 10.84.0.0/24");
            assertRefused(srv, "w-1", "10.85.0.31", "10.85.0.31 is outside w-1's segment 10.84.0.0/24");
            assertRefused(srv, "cp-1", "10.84.0.11", "cp-1 is a control-plane machine");
            NetNs.Result usage = srv.run(60, yoo("change-ip", "w-1", "10.84.0.300", "--url", url(), "--state-dir", state()));
            assertThat(usage.exit()).as(usage.output()).isEqualTo(2);
            assertThat(Files.readString(cluster)).isEqualTo(descriptor);
            assertThat(Files.readString(enrolled)).isEqualTo(ENROLLED);

            // the move: the one value rewritten in place, the rest of the file as written
            NetNs.Result moved = srv.run(60, yoo("change-ip", "w-1", "10.84.0.31", "--url", url(), "--state-dir", state()));
            assertThat(moved.exit()).as(moved.output() + logs()).isZero();
            assertThat(moved.output()).contains("-    ip: 10.84.0.21   # rack 7, port 12", "+    ip: 10.84.0.31   # rack 7, port 12",
                    "w-1: 10.84.0.21 -> 10.84.0.31 in cluster.yml, reloaded", "w-1: reset (attempt 1); no BMC");
            assertThat(Files.readString(cluster)).isEqualTo(descriptor.replace("ip: 10.84.0.21   #", "ip: 10.84.0.31   #"));

            // DHCP follows at once: the same MAC, even asking for its old address, is given the new one
            assertThat(udhcpc(cli, link[1], "after", List.of("-r", "10.84.0.21"))).startsWith("ip=10.84.0.31 ");
            String machine = srv.exec(30, "curl", "-sSf", "-H", "Authorization: Bearer " + admin(), url() + "/api/v1/machines/w-1");
            assertThat(machine).contains("\"ip\":\"10.84.0.31\"", "\"generation\":1", "address changed from 10.84.0.21 to 10.84.0.31");
            String audit = srv.exec(30, "curl", "-sSf", "-H", "Authorization: Bearer " + admin(), url() + "/api/v1/audit");
            assertThat(audit).contains("machine.change-ip", "10.84.0.21 -> 10.84.0.31");

            // what the reinstall gets: its network unit carries the new address (per-machine files are
            // served only to the machine's reserved address: asked from 10.84.0.31)
            awaitLog(serveLog, "generated cluster secrets", 120);
            cli.exec(10, "ip", "addr", "add", "10.84.0.31/24", "dev", link[1]);
            String script = cli.exec(30, "curl", "-sSf", url() + "/boot/by-mac/" + W1_MAC + ".ipxe");
            Matcher base = Pattern.compile("http://10\\.84\\.0\\.1:8080/m/w-1/[A-Za-z0-9_-]+/").matcher(script);
            assertThat(base.find()).as(script).isTrue();
            String config = cli.exec(60, "curl", "-sSf", "--max-time", "50", base.group() + "config");
            Matcher unit = Pattern.compile("\"path\"\\s*:\\s*\"/etc/systemd/network/00-yoo-install.network\".*?\"source\"\\s*:\\s*"
                    + "\"data:;base64,([A-Za-z0-9+/=]+)\"", Pattern.DOTALL).matcher(config);
            assertThat(unit.find()).as(config).isTrue();
            assertThat(new String(Base64.getDecoder().decode(unit.group(1)), StandardCharsets.UTF_8))
                    .contains("MACAddress=" + W1_MAC, "Address=10.84.0.31/24");

            // a machine of the Yoo-owned machinesFrom file moves there, its quoting kept
            NetNs.Result w2 = srv.run(60, yoo("change-ip", "w-2", "10.84.0.21", "--no-reprovision", "--url", url(), "--state-dir", state()));
            assertThat(w2.exit()).as(w2.output() + logs()).isZero();
            assertThat(w2.output()).contains("w-2: 10.84.0.22 -> 10.84.0.21 in enrolled.yml, reloaded", "not reprovisioned");
            assertThat(Files.readString(enrolled)).isEqualTo(ENROLLED.replace("ip: \"10.84.0.22\"", "ip: \"10.84.0.21\""));
            assertThat(Files.readString(cluster)).isEqualTo(descriptor.replace("ip: 10.84.0.21   #", "ip: 10.84.0.31   #"));
            cli.exec(10, "ip", "addr", "flush", "dev", link[1]);
            cli.exec(10, "ip", "link", "set", "dev", link[1], "address", W2_MAC);
            assertThat(udhcpc(cli, link[1], "w2", List.of())).startsWith("ip=10.84.0.21 ");
        }
    }

    private void assertRefused(NetNs srv, String machine, String ip, String reason) throws Exception {
        NetNs.Result r = srv.run(60, yoo("change-ip", machine, ip, "--url", url(), "--state-dir", state()));
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains(reason);
    }

    private static String url() {
        return "http://" + SERVER + ":8080";
    }

    private String state() {
        return dir.resolve("state").toString();
    }

    private String admin() throws IOException {
        return Files.readString(dir.resolve("state/admin-token")).strip();
    }

    private String descriptor(String iface) {
        return """
                # change-ip lab: hand-written, comments and layout must survive
                cluster: moves
                architecture: devtest
                network:
                  interface: %s
                  server: %s
                  subnet: 10.84.0.0/24
                  gateway: 10.84.0.254
                  dns: 10.84.0.53
                  pool: 10.84.0.100-10.84.0.110
                server: { stateDir: %s, assetDir: %s }
                os: { version: 4081.2.0 }
                sshKeys: ["%s"]
                machinesFrom: enrolled.yml
                machines:
                  - { name: cp-1, mac: "52:54:00:84:00:0a", ip: 10.84.0.10, role: control-plane }
                  # the worker that moves
                  - name: w-1
                    mac: "%s"
                    ip: 10.84.0.21   # rack 7, port 12
                    role: worker
                """.formatted(iface, SERVER, dir.resolve("state"), dir.resolve("assets"), SSH_KEY, W1_MAC);
    }

    /** One DHCP exchange as the machine; what it was given. */
    private String udhcpc(NetNs cli, String iface, String tag, List<String> extra) throws Exception {
        Path out = dir.resolve(tag + ".out");
        Path sc = dir.resolve(tag + ".sh");
        Files.writeString(sc, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"ip=$ip router=$router mask=$subnet\" >> " + out + "\nexit 0\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("busybox", "udhcpc", "-i", iface, "-n", "-q", "-f", "-t", "10", "-T", "2", "-s", sc.toString()));
        cmd.addAll(extra);
        NetNs.Result r = cli.run(60, cmd.toArray(String[]::new));
        assertThat(Files.exists(out)).as("udhcpc got no lease:\n" + r.output() + "\n" + logs()).isTrue();
        return Files.readString(out);
    }

    private String logs() {
        return "\n" + new ServeBed(dir).logs("serve.log");
    }
}
