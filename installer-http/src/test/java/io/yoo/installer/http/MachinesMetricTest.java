package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.state.MachineState;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code yoo_machines{state}} and {@code /api/v1/machines} count the same machines the same way,
 * one server, one store: descriptor machines never seen (node-b) are "unknown" in both.
 */
class MachinesMetricTest extends TestServerCase {
    private static final Pattern SAMPLE = Pattern.compile("^yoo_machines\\{state=\"([a-z_-]+)\"} ([0-9.]+)$", Pattern.MULTILINE);

    @Test
    void machinesGaugeAgreesWithTheApi() throws Exception {
        assertThat(metricCounts()).as("before anything happened").isEqualTo(apiCounts());

        s.get("/boot/by-mac/52:54:00:00:00:0a.ipxe");
        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"installed\",\"status\":\"succeeded\"}");
        s.postEvent("node-c", s.tokens.tokenFor("node-c"), "{\"phase\":\"install-os\",\"status\":\"failed\",\"message\":\"boom\"}");
        s.get("/boot/by-mac/52:54:00:00:00:99.ipxe"); // a stranger, if the store keeps one

        Map<String, Long> api = apiCounts();
        assertThat(api).containsEntry("installed", 1L).containsEntry("failed", 1L).containsEntry("unknown", 1L);
        assertThat(metricCounts()).isEqualTo(api);
    }

    /** Every state, counted from the machine list. */
    private Map<String, Long> apiCounts() throws Exception {
        Map<String, Long> counts = zeros();
        JsonNode machines = new ObjectMapper().readTree(s.admin("GET", "/api/v1/machines", null).body());
        machines.forEach(m -> counts.merge(m.get("state").asText(), 1L, Long::sum));
        return counts;
    }

    private Map<String, Long> metricCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = SAMPLE.matcher(s.get("/metrics").body());
        while (m.find()) {
            counts.put(m.group(1), (long) Double.parseDouble(m.group(2)));
        }
        assertThat(counts.keySet()).as("one yoo_machines series per state").isEqualTo(zeros().keySet());
        return counts;
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> z = new TreeMap<>();
        for (MachineState st : MachineState.values()) {
            z.put(st.key(), 0L);
        }
        return z;
    }
}
