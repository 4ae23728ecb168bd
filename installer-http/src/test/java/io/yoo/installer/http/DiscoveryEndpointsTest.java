package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.discovery.Enrollment;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Discovery over real HTTP with installer-core's real renderers behind a {@link LiveCluster}: a MAC
 * in no descriptor gets the discovery script, its live config and token-guarded report and status
 * URLs; enrolling it (here: the descriptor gains its MAC and is reloaded) turns its status to
 * enrolled. One test runs the rendered discovery script itself, with bash and curl, on this host.
 */
class DiscoveryEndpointsTest {
    static final String STRANGER = "52:54:00:77:00:01";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Discovery never needs the cluster's secrets: asking for them fails the request. */
    static final Supplier<ClusterSecrets> NO_SECRETS = () -> {
        throw new IllegalStateException("discovery asked for the cluster secrets");
    };

    @TempDir
    Path dir;
    Path descriptor;
    JdbcStateStore store;
    MachineTokens tokens = new MachineTokens(MachineTokens.newSecret());
    LiveCluster live;
    HttpServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String yaml(int port, boolean discovery, String extraMachine) {
        return """
                cluster: disco
                architecture: devtest
                network:
                  interface: lo
                  server: 127.0.0.1
                  subnet: 127.0.0.0/8
                  domain: disco.internal
                server:
                  httpPort: %d
                  discovery: %s
                os:
                  channel: stable
                  version: 4081.2.0
                sshKeys:
                  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3rY7q2w5X8kL1mN4pQ6sT9vB0cD2eF5gH7jK9lM1nP dev@laptop
                machinesFrom: enrolled.yml
                machines:
                  - name: node-1
                    mac: "52:54:00:00:01:01"
                    ip: 127.0.0.11
                    role: control-plane
                %s""".formatted(port, discovery, extraMachine);
    }

    static String enrolled(String mac) {
        return "  - name: found-1\n    mac: \"" + mac + "\"\n    ip: 127.0.0.12\n    role: worker\n";
    }

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        descriptor = dir.resolve("cluster.yml");
        Files.writeString(descriptor, yaml(1, true, ""));
        store = new JdbcStateStore(JdbcConfig.h2File(state));
        store.start();
        live = new LiveCluster(DescriptorLoader.load(descriptor), tokens, NO_SECRETS, store);
        server = new HttpServer(HttpConfig.plain("127.0.0.1", 0, Files.createDirectories(dir.resolve("assets")), state),
                HttpServices.of(live.artifacts(), tokens, store, live.directory()).withEnrollment(new Enrollment(live, store, Clock.systemUTC())));
        server.start();
        // the URLs the renderers write must name this server's port: known only now
        reload(yaml(server.port(), true, ""));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        store.stop();
    }

    void reload(String text) throws IOException {
        Files.writeString(descriptor, text);
        assertThat(live.reload(descriptor)).isTrue();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> report(String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/v1/discovered")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> adminGet(String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String inventory(String mac) {
        return """
                {"bootMac": "%s", "system": {"vendor": "QEMU", "serial": "SN-1", "uuid": "4a1f3c2e-7b77-4e2a-9c1d-000000000077"},
                 "memoryBytes": 1073741824, "disks": [{"name": "vda", "sizeBytes": 4294967296, "rotational": true}],
                 "nics": [{"name": "eth0", "mac": "%s", "driver": "virtio_net", "link": "up"}]}
                """.formatted(mac, mac);
    }

    static String tokenIn(String ipxe) {
        Matcher m = Pattern.compile("/discovery/([0-9a-f-]{17})/([0-9]+\\.[A-Za-z0-9_-]{22})/live-config").matcher(ipxe);
        assertThat(m.find()).as(ipxe).isTrue();
        return m.group(2);
    }

    @Test
    void aStrangerBootsDiscoveryReportsWithItsTokenAndLearnsWhenItIsEnrolled() throws Exception {
        HttpResponse<String> ipxe = get("/boot/by-mac/52-54-00-77-00-01.ipxe");
        assertThat(ipxe.statusCode()).isEqualTo(200);
        assertThat(ipxe.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(ipxe.body()).startsWith("#!ipxe").contains("booting discovery")
                .contains("ignition.config.url=" + base() + "/discovery/52-54-00-77-00-01/");
        String token = tokenIn(ipxe.body());

        HttpResponse<String> config = get("/discovery/52-54-00-77-00-01/" + token + "/live-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(JSON.readTree(config.body()).at("/ignition/version").asText()).isEqualTo("3.4.0");

        HttpResponse<String> posted = report(token, inventory(STRANGER));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        assertThat(JSON.readTree(posted.body()).get("status").asText()).isEqualTo("new");

        // the operator's list: admin token only
        assertThat(get("/api/v1/discovered").statusCode()).isEqualTo(401);
        HttpResponse<String> list = adminGet("/api/v1/discovered", server.adminToken().orElseThrow().value());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode first = JSON.readTree(list.body()).get(0);
        assertThat(first.get("mac").asText()).isEqualTo(STRANGER);
        assertThat(first.get("serial").asText()).isEqualTo("SN-1");
        assertThat(first.get("status").asText()).isEqualTo("new");
        assertThat(first.at("/inventory/disks/0/sizeBytes").asLong()).isEqualTo(4294967296L);
        assertThat(first.at("/inventory/nics/0/mac").asText()).isEqualTo(STRANGER);

        HttpResponse<String> waiting = get("/discovery/52-54-00-77-00-01/" + token + "/status");
        assertThat(waiting.statusCode()).isEqualTo(200);
        assertThat(waiting.body()).startsWith("status=waiting\ntoken=");
        String fresh = waiting.body().lines().filter(l -> l.startsWith("token=")).findFirst().orElseThrow().substring(6);
        assertThat(fresh).matches(EnrollmentTokens.SHAPE);

        // enrolled = the live descriptor has the MAC: the next poll says so and the machine reboots into its install
        reload(yaml(server.port(), true, enrolled(STRANGER)));
        assertThat(get("/discovery/52-54-00-77-00-01/" + fresh + "/status").body()).startsWith("status=enrolled\n");
        assertThat(get("/boot/by-mac/52-54-00-77-00-01.ipxe").body()).doesNotContain("discovery");
    }

    @Test
    void forgedExpiredOrMisboundTokensAreRefusedWithAProblem() throws Exception {
        EnrollmentTokens ours = new EnrollmentTokens(tokens);
        String good = ours.issue(MacAddress.parse(STRANGER));
        String expired = new EnrollmentTokens(tokens, Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC),
                Duration.ofMinutes(30)).issue(MacAddress.parse(STRANGER));
        String foreign = new EnrollmentTokens(new MachineTokens(MachineTokens.newSecret())).issue(MacAddress.parse(STRANGER));
        String otherMac = ours.issue(MacAddress.parse("52:54:00:77:00:02"));
        for (String[] c : new String[][] {{expired, "expired"}, {foreign, "not valid for this MAC"}, {otherMac, "not valid for this MAC"}}) {
            HttpResponse<String> r = report(c[0], inventory(STRANGER));
            assertThat(r.statusCode()).as(c[1]).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(JSON.readTree(r.body()).get("detail").asText()).contains(c[1]);
            HttpResponse<String> s = get("/discovery/52-54-00-77-00-01/" + c[0] + "/status");
            assertThat(s.statusCode()).isEqualTo(403);
            assertThat(s.body()).doesNotContain("token=");
            assertThat(get("/discovery/52-54-00-77-00-01/" + c[0] + "/live-config").statusCode()).isEqualTo(403);
        }
        assertThat(report(null, inventory(STRANGER)).statusCode()).isEqualTo(401);
        assertThat(report("yoo_not-an-enrollment-token", inventory(STRANGER)).statusCode()).isEqualTo(401);
        // validated bodies: the problem names the field
        HttpResponse<String> bad = report(good, "{\"bootMac\": \"" + STRANGER + "\", \"disks\": [{\"name\": \"sda\", \"sizeBytes\": \"big\"}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("detail").asText()).contains("disks[0].sizeBytes");
        HttpResponse<String> big = report(good, "{\"bootMac\": \"" + STRANGER + "\", \"x\": \"" + "a".repeat(70_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(store.discovered()).isEmpty();
    }

    @Test
    void withDiscoveryOffAStrangerIsNotAnswered() throws Exception {
        reload(yaml(server.port(), false, ""));
        assertThat(get("/boot/by-mac/52-54-00-77-00-01.ipxe").statusCode()).isEqualTo(404);
        String token = new EnrollmentTokens(tokens).issue(MacAddress.parse(STRANGER));
        assertThat(report(token, inventory(STRANGER)).statusCode()).isEqualTo(404);
        assertThat(get("/discovery/52-54-00-77-00-01/" + token + "/status").statusCode()).isEqualTo(404);
    }

    @Test
    void twoMachinesClaimingOneMacAreHeldAndToldSo() throws Exception {
        String token = new EnrollmentTokens(tokens).issue(MacAddress.parse(STRANGER));
        assertThat(report(token, inventory(STRANGER)).statusCode()).isEqualTo(202);
        HttpResponse<String> second = report(token, inventory(STRANGER).replace("000000000077", "000000000078"));
        assertThat(JSON.readTree(second.body()).get("status").asText()).isEqualTo("held");
        assertThat(store.discovered()).hasSize(2).allMatch(d -> d.status().key().equals("held"));
        assertThat(get("/discovery/52-54-00-77-00-01/" + token + "/status").body()).startsWith("status=held\n");
    }

    HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + server.adminToken().orElseThrow().value())
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOperatorEnrollsThroughTheApiAndTheWaitingMachineSeesIt() throws Exception {
        String token = new EnrollmentTokens(tokens).issue(MacAddress.parse(STRANGER));
        long id = JSON.readTree(report(token, inventory(STRANGER)).body()).get("id").asLong();
        assertThat(get("/discovery/52-54-00-77-00-01/" + token + "/status").body()).startsWith("status=waiting\n");
        // no token, a bad body, a name the descriptor refuses (the answer names enrolled.yml and the line)
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/discovered/" + id + "/enroll"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = admin("POST", "/api/v1/discovered/" + id + "/enroll", "{\"name\": \"Bad_Name\", \"role\": \"worker\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("detail").asText()).contains("name:");
        HttpResponse<String> taken = admin("POST", "/api/v1/discovered/" + id + "/enroll", "{\"name\": \"node-1\", \"role\": \"worker\"}");
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(taken.body()).get("detail").asText()).contains("enrolled.yml:").contains("duplicate hostname node-1");
        assertThat(dir.resolve("enrolled.yml")).doesNotExist();

        HttpResponse<String> ok = admin("POST", "/api/v1/discovered/" + id + "/enroll",
                "{\"name\": \"found-1\", \"role\": \"worker\", \"labels\": {\"rack\": \"r9\"}}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode done = JSON.readTree(ok.body());
        assertThat(done.get("name").asText()).isEqualTo("found-1");
        assertThat(done.get("ip").asText()).isEqualTo("127.0.0.2"); // the lowest free address: .1 is the server, .11 node-1
        assertThat(done.get("diff").asText()).startsWith("--- enrolled.yml\n+++ enrolled.yml\n").contains("+  - name: \"found-1\"\n");
        assertThat(Files.readString(dir.resolve("enrolled.yml"))).contains("mac: \"52:54:00:77:00:01\"").contains("\"rack\": \"r9\"");
        assertThat(get("/discovery/52-54-00-77-00-01/" + token + "/status").body()).startsWith("status=enrolled\n");
        assertThat(live.directory().byMac(MacAddress.parse(STRANGER)).orElseThrow().name()).isEqualTo("found-1");
        assertThat(JSON.readTree(adminGet("/api/v1/discovered", server.adminToken().orElseThrow().value()).body()).get(0).get("status").asText())
                .isEqualTo("enrolled");
        assertThat(admin("POST", "/api/v1/discovered/" + id + "/enroll", "{\"name\": \"again\", \"role\": \"worker\"}").statusCode()).isEqualTo(409);

        // reject: the other machine's poll says so (it powers off)
        String other = "52:54:00:77:00:02";
        String t2 = new EnrollmentTokens(tokens).issue(MacAddress.parse(other));
        long id2 = JSON.readTree(report(t2, inventory(other).replace("000000000077", "000000000079")).body()).get("id").asLong();
        assertThat(admin("POST", "/api/v1/discovered/" + id2 + "/reject", "").statusCode()).isEqualTo(200);
        assertThat(get("/discovery/52-54-00-77-00-02/" + t2 + "/status").body()).startsWith("status=rejected\n");
        assertThat(admin("POST", "/api/v1/discovered/999/reject", "").statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/api/v1/discovered/" + id2 + "/reject", "").statusCode()).isEqualTo(405);
    }

    /**
     * The rendered script for real, its inventory read from this host's /sys, reported to the
     * server, then polling until the machine is enrolled; its {@code systemctl reboot} goes to a
     * stand-in that records it. Twice: with this host's sh and curl (as on Flatcar), and with
     * nothing but busybox on the PATH (wget; as in the e2e test OS).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theRenderedScriptReportsThisHostsInventoryAndRebootsOnceEnrolled(boolean busyboxOnly) throws Exception {
        Peers.requireCommands("sh", "curl", "timeout", "busybox");
        Path nic = physicalNic();
        String mac = Files.readString(nic.resolve("address")).strip();
        String ipxe = get("/boot/by-mac/" + mac.replace(':', '-') + ".ipxe").body();
        String token = tokenIn(ipxe);
        JsonNode ignition = JSON.readTree(get("/discovery/" + mac.replace(':', '-') + "/" + token + "/live-config").body());
        String script = null;
        for (JsonNode f : ignition.at("/storage/files")) {
            if (f.get("path").asText().equals("/opt/yoo/bin/yoo-discover")) {
                String src = f.at("/contents/source").asText();
                script = new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
            }
        }
        assertThat(script).isNotNull();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        if (busyboxOnly) {
            Path busybox = Peers.which("busybox");
            for (String applet : new String[] {"sh", "cat", "head", "tr", "cut", "sed", "awk", "grep", "seq", "sleep", "date", "timeout",
                "wget", "readlink", "basename", "mkdir", "printf", "echo"}) {
                Files.createSymbolicLink(bin.resolve(applet), busybox);
            }
        }
        Path calls = dir.resolve("systemctl-calls");
        Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        bin.resolve("systemctl").toFile().setExecutable(true);
        Path file = dir.resolve("yoo-discover");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder(busyboxOnly ? bin.resolve("sh").toString() : "sh", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile());
        pb.environment().put("PATH", busyboxOnly ? bin.toString() : bin + ":" + System.getenv("PATH"));
        pb.environment().put("YOO_DISCOVER_DIR", dir.resolve("run").toString());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.discovered().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                p.waitFor(200, TimeUnit.MILLISECONDS);
            }
            assertThat(store.discovered()).as(Files.readString(dir.resolve("out"))).hasSize(1);
            JsonNode inv = JSON.readTree(store.discovered().getFirst().inventory());
            assertThat(inv.get("bootMac").asText()).isEqualTo(mac);
            assertThat(inv.get("nics").findValuesAsText("mac")).contains(mac);
            assertThat(inv.get("memoryBytes").asLong()).isPositive();
            assertThat(inv.at("/cpu/count").asLong()).isPositive();
            for (JsonNode disk : inv.get("disks")) {
                long sectors = Long.parseLong(Files.readString(Path.of("/sys/block", disk.get("name").asText(), "size")).strip());
                assertThat(disk.get("sizeBytes").asLong()).isEqualTo(sectors * 512);
            }
            assertThat(p.isAlive()).as("waits to be enrolled").isTrue();
            reload(yaml(server.port(), true, enrolled(mac)));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("notices within a poll").isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("out"))).isZero();
            assertThat(Files.readAllLines(calls)).containsExactly("reboot");
            assertThat(Files.readString(dir.resolve("out"))).contains("enrolled; rebooting into the install");
        } finally {
            p.destroyForcibly();
        }
    }

    /** A NIC with a device behind it (what the script lists); none in a bare container: skipped with the reason. */
    static Path physicalNic() throws IOException {
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            List<Path> nics = s.filter(n -> Files.exists(n.resolve("device"))).sorted().toList();
            Peers.require(!nics.isEmpty(), "no NIC with a device in /sys/class/net to inventory");
            return nics.getFirst();
        }
    }
}
