package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.ipmi.testsupport.SimRack;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.SkipTestsWhenBeforeAllAborts;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reprovision through the server (issue #17): {@code yoo serve} runs in the client namespace of
 * a rack of ipmi_sim BMCs, its descriptor names each machine's BMC; two machines of label rack=a
 * failed. {@code yoo reprovision --label rack=a} (the CLI, through the API) resets their records
 * and the server sends each BMC network boot once and a power cycle; the machine of rack=b is
 * left alone, its BMC untouched. {@code yoo change-ip} of w-5 rewrites its address in the
 * descriptor and reprovisions it through its BMC the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SkipTestsWhenBeforeAllAborts.class) // a missing peer skips each test with its reason
class ServerReprovisionAgainstSimulatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    private SimRack rack;
    private List<SimRack.Bmc> bmcs;
    private String base;
    private Path state;

    @BeforeAll
    void start() throws Exception {
        Peers.requireCommands("curl");
        rack = SimRack.create(203, work);
        bmcs = List.of(rack.start(1), rack.start(2), rack.start(3), rack.start(4), rack.start(5));
        for (SimRack.Bmc b : bmcs.subList(0, 3)) {
            // powered on, as installed machines are: a reprovision must power-cycle them
            assertThat(rack.ipmitool(b.ip(), SimRack.USER, SimRack.PASSWORD, "chassis", "power", "on").exit()).isZero();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // a free port number; the server listens in the namespace, where nothing else does
        }
        Path cluster = work.resolve("cluster.yml");
        StringBuilder machines = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            machines.append("  - { name: w-").append(i).append(", mac: \"52:54:00:97:01:0").append(i).append("\", ip: 10.77.203.").append(10 + i)
                    .append(", role: worker, labels: { rack: ").append(i < 3 ? "a" : i == 3 ? "b" : i == 4 ? "c" : "d").append(" }, bmc: { address: \"").append(rack.address(i))
                    .append("\", protocol: ipmi, username: ").append(SimRack.USER).append(", password: ").append(SimRack.PASSWORD).append(" } }\n");
        }
        Files.writeString(cluster, """
                cluster: rp
                architecture: devtest
                network: { interface: lo, server: 10.77.203.250, subnet: 10.77.203.0/24, dhcp: off }
                server: { httpPort: %d, stateDir: state, assetDir: assets }
                os: { version: 4081.2.0 }
                machines:
                  - { name: cp-1, mac: "52:54:00:97:01:00", ip: 10.77.203.10, role: control-plane }
                %s""".formatted(port, machines));
        state = work.resolve("state");
        Path log = work.resolve("serve.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Yoo.class.getName(), "serve", cluster.toString(), "--unprivileged",
                "--tftp-port", "0", "--bind", rack.address(250));
        rack.client().start(ProcessBuilder.Redirect.to(log.toFile()), cmd.toArray(String[]::new));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(Files.exists(log) && Files.readString(log).contains("yoo serve: cluster rp")) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(log)).as("yoo serve started").contains("yoo serve: cluster rp");
        base = "http://" + rack.address(250) + ":" + port;
        MachineTokens tokens = TokenSecretFile.read(state).orElseThrow();
        for (String m : List.of("w-1", "w-2", "w-3")) {
            NetNs.Result r = rack.client().run(30, "curl", "-sS", "-f", "-H", "Content-Type: application/json", "--data",
                    "{\"phase\":\"install-os\",\"status\":\"failed\",\"message\":\"disk gone\"}",
                    base + "/api/v1/machines/" + m + "/events?token=" + tokens.tokenFor(m));
            assertThat(r.exit()).as(r.output()).isZero();
        }
    }

    @AfterAll
    void stop() {
        if (rack != null) {
            rack.close();
        }
    }

    JsonNode machine(String name) throws Exception {
        return get("/api/v1/machines/" + name);
    }

    JsonNode get(String path) throws Exception {
        String admin = Files.readString(state.resolve("admin-token")).strip();
        NetNs.Result r = rack.client().run(30, "curl", "-sS", "-f", "-H", "Authorization: Bearer " + admin, base + path);
        assertThat(r.exit()).as(r.output()).isZero();
        return JSON.readTree(r.output());
    }

    @Test
    void powerStateIsReadThroughTheBmc() throws Exception {
        JsonNode on = get("/api/v1/machines/w-3/power");
        assertThat(on.get("power").asText()).isEqualTo("on");
        assertThat(on.get("bmc").asText()).isEqualTo("ipmi://admin@" + rack.address(3));
        assertThat(on.get("checkedAt").asText()).endsWith("Z");
        assertThat(get("/api/v1/machines/w-4/power").get("power").asText()).isEqualTo("off");
        JsonNode none = get("/api/v1/machines/cp-1/power");
        assertThat(none.get("bmc").isNull()).isTrue();
        assertThat(none.get("power").isNull()).isTrue();
    }

    @Test
    void reprovisionByLabelResetsTheRecordsAndPowerCyclesThroughTheirBmcs() throws Exception {
        String before3 = Files.readString(bmcs.get(2).callsLog());
        String before4 = Files.exists(bmcs.get(3).callsLog()) ? Files.readString(bmcs.get(3).callsLog()) : "";
        NetNs.Result r = rack.java(120, Yoo.class.getName(), "reprovision", "--label", "rack=a", "--reason", "disks replaced",
                "--url", base, "--state-dir", state.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("w-1: reset (attempt 1); BMC ipmi://admin@" + rack.address(1) + ": network boot once, power cycled")
                .contains("w-2: reset (attempt 1); BMC ipmi://admin@" + rack.address(2)).doesNotContain("w-3");

        for (int i = 0; i < 2; i++) {
            String calls = Files.readString(bmcs.get(i).callsLog());
            int pxe = calls.lastIndexOf("set boot pxe");
            assertThat(pxe).as("w-%d's BMC was told to network boot: %s", i + 1, calls).isPositive();
            assertThat(calls.indexOf("set power", pxe)).as("then its power changed: %s", calls).isGreaterThan(pxe);
            JsonNode m = machine("w-" + (i + 1));
            assertThat(m.get("state").asText()).isEqualTo("unknown");
            assertThat(m.get("generation").asInt()).isEqualTo(1);
            assertThat(m.get("history").toString()).contains("disks replaced");
        }
        assertThat(Files.readString(bmcs.get(2).callsLog()).substring(before3.length())).as("rack=b's BMC untouched").doesNotContain("set");
        String after4 = Files.exists(bmcs.get(3).callsLog()) ? Files.readString(bmcs.get(3).callsLog()) : "";
        assertThat(after4.substring(before4.length())).as("rack=c's BMC untouched").doesNotContain("set");
        JsonNode w3 = machine("w-3");
        assertThat(w3.get("state").asText()).isEqualTo("failed");
        assertThat(w3.get("generation").asInt()).isZero();
    }

    @Test
    void changeIpRewritesTheDescriptorAndReprovisionsThroughTheBmc() throws Exception {
        Path cluster = work.resolve("cluster.yml");
        String before = Files.readString(cluster);
        NetNs.Result r = rack.java(120, Yoo.class.getName(), "change-ip", "w-5", "10.77.203.45", "--url", base, "--state-dir", state.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("w-5: 10.77.203.15 -> 10.77.203.45 in cluster.yml, reloaded",
                "w-5: reset (attempt 1); BMC ipmi://admin@" + rack.address(5) + ": network boot once, power cycled");
        // the flow-style entry keeps its layout: only the value changed
        assertThat(Files.readString(cluster)).isEqualTo(before.replace("ip: 10.77.203.15,", "ip: 10.77.203.45,"));
        String calls = Files.readString(bmcs.get(4).callsLog());
        int pxe = calls.lastIndexOf("set boot pxe");
        assertThat(pxe).as("w-5's BMC was told to network boot: %s", calls).isPositive();
        assertThat(calls.indexOf("set power", pxe)).as("then its power changed: %s", calls).isGreaterThan(pxe);
        JsonNode m = machine("w-5");
        assertThat(m.get("ip").asText()).isEqualTo("10.77.203.45");
        assertThat(m.get("generation").asInt()).isEqualTo(1);
    }
}
