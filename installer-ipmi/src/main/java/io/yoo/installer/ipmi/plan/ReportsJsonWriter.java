package io.yoo.installer.ipmi.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.ipmi.scan.BmcReport;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Every BMC's report (and its planned host, if any) as JSON, for scripts and inventory tools. */
public final class ReportsJsonWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportsJsonWriter() {}

    /** The reports, each with its planned host if any; {@code problems} holds the scan's problems and then the plan's for that BMC. */
    public static String write(List<BmcReport> reports, Planner.Plan plan) {
        Map<String, PlannedHost> byBmc = plan.hosts().stream().collect(Collectors.toMap(h -> h.report().address().toString(), h -> h));
        ArrayNode out = JSON.createArrayNode();
        for (BmcReport r : reports) {
            ObjectNode o = out.addObject();
            o.put("bmc", r.address().toString());
            o.put("status", r.status().name());
            o.put("protocol", r.protocol().key());
            r.bmcIp().ifPresent(v -> o.put("bmcIp", v.toString()));
            r.bmcMac().ifPresent(v -> o.put("bmcMac", v.toString()));
            r.guidHex().ifPresent(v -> o.put("guid", v));
            r.uuid().ifPresent(v -> o.put("uuid", v.toString()));
            r.serial().ifPresent(v -> o.put("serial", v));
            r.product().ifPresent(v -> o.put("product", v));
            r.manufacturer().ifPresent(v -> o.put("manufacturer", v));
            r.powerOn().ifPresent(v -> o.put("powerOn", v));
            ArrayNode macs = o.putArray("hostMacs");
            r.hostMacs().forEach(m -> macs.add(m.toString()));
            ArrayNode problems = o.putArray("problems");
            r.problems().forEach(problems::add);
            plan.problemsOf(r.address()).forEach(problems::add);
            PlannedHost h = byBmc.get(r.address().toString());
            if (h != null) {
                ObjectNode host = o.putObject("host");
                host.put("index", h.host().index());
                host.put("name", h.host().name());
                host.put("ip", h.host().address().toString());
            }
        }
        try {
            return JSON.writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
