package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code yoo status} and {@code yoo watch} against a real {@code yoo serve} whose machines
 * reported through the same event endpoint the install script uses: one failed with a reason,
 * one is installing, one installed, one silent.
 * The watch tests change states, so they run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusWatchCommandTest {
    @TempDir
    static Path dir;
    static ServeProcess serve;
    static String base;
    static MachineTokens tokens;

    @BeforeAll
    static void startServeWithFourMachinesInFourStates() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.yml");
        Files.writeString(cluster, """
                cluster: w1
                architecture: devtest
                network: { interface: lo, server: 10.200.0.1, subnet: 10.200.0.0/24, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: cp-1, mac: "52:54:00:99:01:01", ip: 10.200.0.11, role: control-plane, labels: { rack: a } }
                  - { name: w-1, mac: "52:54:00:99:01:02", ip: 10.200.0.12, role: worker, labels: { rack: a } }
                  - { name: w-2, mac: "52:54:00:99:01:03", ip: 10.200.0.13, role: worker, labels: { rack: b } }
                  - { name: w-3, mac: "52:54:00:99:01:04", ip: 10.200.0.14, role: worker, labels: { rack: b } }
                  - { name: w-4, mac: "52:54:00:99:01:05", ip: 10.200.0.15, role: worker, labels: { rack: c } }
                  - { name: w-5, mac: "52:54:00:99:01:06", ip: 10.200.0.16, role: worker, labels: { rack: c } }
                """.formatted(port));
        serve = ServeProcess.start(dir, "w1", ServeProcess.onLoopback(cluster, 0));
        base = "http://127.0.0.1:" + port;
        tokens = TokenSecretFile.read(dir.resolve("state")).orElseThrow();
        event("cp-1", "{\"phase\":\"install-os\",\"status\":\"started\"}");
        event("cp-1", "{\"phase\":\"install-os\",\"status\":\"failed\",\"message\":\"no disk matched /dev/disk/by-id/wwn-*\\nsecond line\"}");
        event("w-1", "{\"phase\":\"install-os\",\"status\":\"started\"}");
        event("w-2", "{\"event\":\"installed\"}");
        event("w-5", "{\"phase\":\"install-os\",\"status\":\"started\"}");
        Thread.sleep(20); // w-4's failure is the newer one, to the millisecond
        event("w-4", "{\"phase\":\"kubeadm\",\"status\":\"failed\",\"message\":\"join: token expired\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    static void event(String machine, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/" + machine + "/events"))
                .header("X-Yoo-Token", tokens.tokenFor(machine)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
    }

    record Run(int exit, String out, String err) {}

    static Run yoo(String... args) {
        return yoo(new StringWriter(), args);
    }

    static Run yoo(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Yoo.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", base, "--state-dir", dir.resolve("state").toString()));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void statusNamesTheFailedMachinesNewestFirstWithPhaseAndReasonThenTheOnesInProgress() {
        Run r = yoo("status");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("6 machines: 1 done (17%), 2 failed, 2 in progress, 1 waiting");
        assertThat(lines.get(1)).isEqualTo("  unknown 1, installing 2, installed 1, failed 2");
        int failed = lines.indexOf("failed (2), newest first:");
        int active = lines.indexOf("in progress (2):");
        assertThat(failed).isPositive().isLessThan(active);
        assertThat(lines.get(failed + 1)).contains("w-4", "kubeadm failed", "join: token expired");
        assertThat(lines.get(failed + 2)).contains("cp-1", "10.200.0.11", "failed", "install-os failed", "no disk matched /dev/disk/by-id/wwn-*")
                .doesNotContain("second line");
        assertThat(lines.subList(active + 1, lines.size())).hasSize(2).allSatisfy(l -> assertThat(l).contains("installing", "install-os started"));
        assertThat(r.out()).doesNotContain("w-2", "w-3");
    }

    @Test
    @Order(2)
    void filtersByStateRoleAndLabelAndJsonReturnsTheMachineRecords() throws Exception {
        Run rackB = yoo("status", "--label", "rack=b");
        assertThat(rackB.exit()).isEqualTo(5); // w-3 not done yet, none failed
        assertThat(rackB.out()).startsWith("2 machines match: 1 done (50%), 0 failed, 0 in progress, 1 waiting").contains("w-2", "w-3")
                .doesNotContain("cp-1", "w-1 ");

        Run json = yoo("status", "--state", "failed,installing", "--role", "worker", "--label", "rack=a", "--json");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.path("summary").path("total").asInt()).isEqualTo(1);
        assertThat(root.path("machines")).singleElement().satisfies(m -> {
            assertThat(m.path("name").asText()).isEqualTo("w-1");
            assertThat(m.path("phase").asText()).isEqualTo("install-os");
            assertThat(m.path("labels").path("rack").asText()).isEqualTo("a");
        });
        Run failedJson = yoo("status", "--state", "failed", "--role", "control-plane", "--json");
        assertThat(new ObjectMapper().readTree(failedJson.out()).path("machines")).singleElement()
                .satisfies(m -> assertThat(m.path("message").asText()).startsWith("no disk matched"));
        assertThat(failedJson.exit()).isEqualTo(1);

        Run done = yoo("status", "--state", "installed");
        assertThat(done.exit()).isZero();
        assertThat(done.out()).contains("w-2");
    }

    @Test
    @Order(3)
    void badFiltersAreUsageErrorsAndAStrangeMachineNameNeverReachesTheUrl() {
        Run state = yoo("status", "--state", "bogus");
        assertThat(state.exit()).isEqualTo(2);
        assertThat(state.err()).contains("unknown state 'bogus'", "failed");
        assertThat(yoo("status", "--label", "rack").err()).contains("--label wants key=value, not 'rack'");
        Run name = yoo("status", "--machine", "../../api/v1/leases");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err()).contains("is not a machine name");
        assertThat(yoo("status", "--machine", "nobody").exit()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void watchGivesUpAtItsTimeoutWhileAMachineIsStillInstalling() {
        Run r = yoo("watch", "--label", "rack=c", "--interval", "0.1", "--timeout", "0.5", "--no-redraw");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(5);
        assertThat(r.out()).contains("still 1 in progress, 0 waiting after 0s: giving up (--timeout)");
    }

    @Test
    @Order(5)
    void watchFollowsUntilEveryMatchingMachineSettledAndPrintsEachFailureOnce() throws Exception {
        // w-5 finishes while watch runs; rack c then holds one done and one failed machine: exit 1
        CountDownLatch firstLine = new CountDownLatch(1);
        StringWriter out = new StringWriter() {
            @Override
            public void write(String str) {
                super.write(str);
                if (str.contains("\n")) {
                    firstLine.countDown();
                }
            }

            @Override
            public void write(String str, int off, int len) {
                write(str.substring(off, off + len));
            }
        };
        Thread finisher = Thread.ofVirtual().start(() -> {
            try {
                assertThat(firstLine.await(30, TimeUnit.SECONDS)).isTrue(); // watch has seen w-5 installing
                event("w-5", "{\"event\":\"installed\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Run r = yoo(out, "watch", "--label", "rack=c", "--interval", "0.1", "--timeout", "30", "--no-redraw");
        finisher.join();
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("FAILED")).toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("w-4", "join: token expired"));
        assertThat(lines.getFirst()).contains("[xxxxxxxxxxxxxxx...............] 0%", "0/2 done, 1 failed, 1 in progress, 0 waiting");
        assertThat(lines.getLast()).contains("[###############xxxxxxxxxxxxxxx] 50%", "1/2 done, 1 failed, 0 in progress, 0 waiting");
        // a line per change, not per poll
        assertThat(lines.stream().filter(l -> l.contains("0/2 done, 1 failed, 1 in progress")).count()).isEqualTo(1);
    }

    /** {@code yoo token create|list|revoke} through the running server's API with the admin token; what the tokens may do. */
    @Test
    @Order(6)
    void tokensAreCreatedListedAndRevokedThroughTheRunningServer() throws Exception {
        Run created = yoo("token", "create", "--read-only", "--name", "dashboard", "--expires", "30d");
        assertThat(created.exit()).as(created.err()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("yoo_").doesNotContain("\n");
        assertThat(created.err()).contains("token 'dashboard' (read-only), expires ", "shown once");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines?state=failed"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(list.body())).hasSize(2);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/w-3/reprovision"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        Run listed = yoo("token", "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out().lines().toList()).hasSize(2);
        assertThat(listed.out()).contains("dashboard", "read-only").doesNotContain(token).doesNotContain("never                    never");
        Run taken = yoo("token", "create", "--admin", "--name", "dashboard");
        assertThat(taken.exit()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(taken.err()).contains("yoo token create: a token named 'dashboard' exists");
        assertThat(yoo("token", "create", "--admin", "--read-only", "--name", "x").exit()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(yoo("token", "create", "--admin", "--name", "x", "--expires", "soon").exit()).isEqualTo(Yoo.EXIT_USAGE);

        Run revoked = yoo("token", "revoke", "dashboard");
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        Run again = yoo("token", "revoke", "dashboard");
        assertThat(again.exit()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(again.err()).contains("no token named 'dashboard'");

        // who did what, in the store
        String admin = Files.readString(dir.resolve("state/admin-token")).strip();
        JsonNode audit = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).get("action").asText()).isEqualTo("token.revoke");
        assertThat(audit.get(1).get("action").asText()).isEqualTo("token.create");
        assertThat(audit.get(1).get("actor").asText()).isEqualTo("admin-token");
    }
}
