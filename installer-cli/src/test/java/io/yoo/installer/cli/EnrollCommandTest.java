package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code yoo discovered} and {@code yoo enroll} against a running {@code yoo serve} with
 * discovery on: two machines report their inventory (with their enrollment tokens), the CSV
 * enrolls them by serial and by MAC, the server writes enrolled.yml and reloads, their status says
 * enrolled; a line naming no discovered machine is refused (exit 1) and the others still go in.
 */
class EnrollCommandTest {
    @TempDir
    Path dir;
    ServeProcess serve;
    String base;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    record Run(int exit, String out, String err) {}

    Run yoo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Yoo.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", base, "--state-dir", dir.resolve("state").toString()));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    HttpResponse<String> report(EnrollmentTokens tokens, String mac, String serial) throws Exception {
        String body = """
                {"bootMac": "%s", "system": {"vendor": "QEMU", "product": "Standard PC", "serial": "%s"}, "cpu": {"count": 4},
                 "memoryBytes": 8589934592, "disks": [{"name": "vda", "sizeBytes": 268435456}], "nics": [{"name": "eth0", "mac": "%s"}]}
                """.formatted(mac, serial, mac);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/discovered"))
                .header("Authorization", "Bearer " + tokens.issue(MacAddress.parse(mac))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void discoveredMachinesAreListedAndEnrolledFromACsv() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, """
                cluster: d1
                architecture: devtest
                network: { interface: lo, server: 10.201.0.1, subnet: 10.201.0.0/24, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets, discovery: true }
                os: { version: 4081.2.0 }
                machinesFrom: enrolled.yml
                machines:
                  - { name: cp-1, mac: "52:54:00:98:01:01", ip: 10.201.0.11, role: control-plane }
                """.formatted(port));
        serve = ServeProcess.start(dir, "d1", ServeProcess.onLoopback(cluster, 0));
        base = "http://127.0.0.1:" + port;
        EnrollmentTokens tokens = new EnrollmentTokens(TokenSecretFile.read(dir.resolve("state")).orElseThrow());
        assertThat(report(tokens, "52:54:00:98:02:01", "SN-A").statusCode()).isEqualTo(202);
        assertThat(report(tokens, "52:54:00:98:02:02", "SN-B").statusCode()).isEqualTo(202);

        Run listed = yoo("discovered");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("ID", "STATUS", "MAC", "SERIAL").contains("52:54:00:98:02:01", "SN-A", "new", "QEMU Standard PC", "8.0G",
                "vda:256M");

        Path csv = dir.resolve("rack.csv");
        Files.writeString(csv, """
                serial-or-mac,name,role,labels,ip
                # the rack's list
                SN-A,node-a,worker,rack=r1;slot=7,
                52:54:00:98:02:02,node-b,worker,,10.201.0.40
                SN-NOPE,node-c,worker,,
                """);
        Run enrolled = yoo("enroll", "--csv", csv.toString());
        assertThat(enrolled.exit()).as(enrolled.out() + enrolled.err()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(enrolled.out()).contains("as node-a at 10.201.0.2").contains("+  - name: \"node-a\"").contains("as node-b at 10.201.0.40")
                .contains("--- enrolled.yml");
        assertThat(enrolled.err()).contains("rack.csv:5: no discovered machine SN-NOPE");
        assertThat(Files.readString(dir.resolve("enrolled.yml"))).contains("name: \"node-a\"", "\"slot\": \"7\"", "name: \"node-b\"");
        assertThat(yoo("discovered").out()).contains("enrolled").doesNotContain(" new ");
        // the descriptor the server serves lists them now
        HttpResponse<String> machine = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/node-b"))
                .header("Authorization", "Bearer " + Files.readString(dir.resolve("state/admin-token")).strip()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(machine.statusCode()).isEqualTo(200);
        assertThat(machine.body()).contains("10.201.0.40");

        Run single = yoo("enroll", "SN-A", "--name", "again", "--role", "worker");
        assertThat(single.exit()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(yoo("enroll", "SN-A").exit()).isEqualTo(Yoo.EXIT_USAGE);
    }
}
