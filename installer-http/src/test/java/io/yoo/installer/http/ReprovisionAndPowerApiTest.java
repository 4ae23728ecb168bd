package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.bmc.MachineBmcs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API side of reprovision and power state, with BMCs that record what they were asked
 * (ServerReprovisionAgainstSimulatorTest in installer-cli drives real ipmi_sim BMCs): node-a's BMC
 * works, node-c's refuses the login, node-b has none.
 */
class ReprovisionAndPowerApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    TestServer s;
    final List<String> calls = new CopyOnWriteArrayList<>();

    final class RecordingBmc implements MachineBmcs.Bmc {
        final String machine;
        final boolean works;

        RecordingBmc(String machine, boolean works) {
            this.machine = machine;
            this.works = works;
        }

        @Override
        public String describe() {
            return "ipmi://admin@bmc-" + machine;
        }

        @Override
        public void reprovision() throws IOException {
            calls.add(machine + " reprovision");
            if (!works) {
                throw new IOException("wrong password");
            }
        }

        @Override
        public boolean powerOn() throws IOException {
            calls.add(machine + " power");
            if (!works) {
                throw new IOException("wrong password");
            }
            return true;
        }
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, MachineBmcs.Bmc> bmcs = Map.of("node-a", new RecordingBmc("node-a", true), "node-c", new RecordingBmc("node-c", false));
        MachineBmcs all = m -> Optional.ofNullable(bmcs.get(m));
        s = new TestServer(dir, Function.identity(), x -> x.withBmcs(all), TestServer.MACHINES);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    JsonNode admin(String method, String path, String body, int status) throws Exception {
        var r = s.admin(method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void oneReprovisionResetsTheRecordAndPowerCyclesThroughTheBmc() throws Exception {
        JsonNode a = admin("POST", "/api/v1/machines/node-a/reprovision", "{\"reason\":\"disk swap\"}", 200);
        assertThat(a.get("generation").asInt()).isEqualTo(1);
        assertThat(a.at("/bmc/address").asText()).isEqualTo("ipmi://admin@bmc-node-a");
        assertThat(a.at("/bmc/done").asText()).isEqualTo("network boot once, power cycled");
        assertThat(calls).containsExactly("node-a reprovision");

        JsonNode b = admin("POST", "/api/v1/machines/node-b/reprovision", null, 200);
        assertThat(b.get("bmc").isNull()).isTrue();
        JsonNode c = admin("POST", "/api/v1/machines/node-c/reprovision", null, 200);
        assertThat(c.at("/bmc/error").asText()).isEqualTo("wrong password");
        assertThat(s.store.machine("node-c").orElseThrow().generation()).as("the reset stands").isEqualTo(1);
    }

    @Test
    void aBulkReprovisionTakesNamesAndFilters() throws Exception {
        JsonNode r1 = admin("POST", "/api/v1/reprovision?label=rack%3Dr1", "{\"reason\":\"rack r1 rebuilt\"}", 200);
        assertThat(r1.get("count").asInt()).isEqualTo(2);
        assertThat(r1.get("items")).extracting(m -> m.get("name").asText()).containsExactly("node-a", "node-c");
        assertThat(calls).containsExactlyInAnyOrder("node-a reprovision", "node-c reprovision");
        assertThat(s.store.machine("node-b")).isEmpty();
        assertThat(s.store.history("node-a", 10).getLast().message()).contains("rack r1 rebuilt");

        JsonNode named = admin("POST", "/api/v1/reprovision", "{\"names\":[\"node-b\"]}", 200);
        assertThat(named.get("items")).extracting(m -> m.get("name").asText()).containsExactly("node-b");
        // names and a filter: only the named machines that match
        JsonNode both = admin("POST", "/api/v1/reprovision?role=worker", "{\"names\":[\"node-a\",\"node-b\"]}", 200);
        assertThat(both.get("items")).extracting(m -> m.get("name").asText()).containsExactly("node-b");
        assertThat(s.store.machine("node-b").orElseThrow().generation()).isEqualTo(2);

        assertThat(admin("POST", "/api/v1/reprovision", "{}", 400).get("detail").asText()).contains("say which machines");
        assertThat(admin("POST", "/api/v1/reprovision", "{\"names\":[\"nobody\"]}", 404).get("detail").asText()).contains("'nobody'");
        assertThat(admin("POST", "/api/v1/reprovision", "[1]", 400).get("detail").asText()).contains("body must be");
        assertThat(s.store.history("node-a", 10)).hasSize(1);
    }

    @Test
    void powerIsReadThroughTheBmcAtMostOncePerCachePeriod() throws Exception {
        JsonNode a = admin("GET", "/api/v1/machines/node-a/power", null, 200);
        assertThat(a.get("power").asText()).isEqualTo("on");
        assertThat(a.get("bmc").asText()).isEqualTo("ipmi://admin@bmc-node-a");
        JsonNode again = admin("GET", "/api/v1/machines/node-a/power", null, 200);
        assertThat(again.get("checkedAt")).isEqualTo(a.get("checkedAt"));
        assertThat(calls).containsExactly("node-a power");

        JsonNode b = admin("GET", "/api/v1/machines/node-b/power", null, 200);
        assertThat(b.get("bmc").isNull()).isTrue();
        assertThat(b.get("power").isNull()).isTrue();
        assertThat(admin("GET", "/api/v1/machines/node-c/power", null, 502).get("detail").asText()).contains("wrong password");
        // a failed reading is not cached: the next call asks the BMC again
        admin("GET", "/api/v1/machines/node-c/power", null, 502);
        assertThat(calls).containsExactly("node-a power", "node-c power", "node-c power");
        admin("GET", "/api/v1/machines/nobody/power", null, 404);
    }
}
