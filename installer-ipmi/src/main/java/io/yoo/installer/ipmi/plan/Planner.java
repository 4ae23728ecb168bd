package io.yoo.installer.ipmi.plan;

import io.yoo.installer.ipmi.scan.BmcReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link AddressRule} to scan results. BMCs that did not answer, or that gave
 * neither a UUID nor a host MAC (nothing to match the machine by), are left out with a reason;
 * two BMCs given the same address or name are both left out.
 */
public final class Planner {
    private Planner() {}

    public record Plan(List<PlannedHost> hosts, List<String> problems) {
        public Plan {
            hosts = List.copyOf(hosts);
            problems = List.copyOf(problems);
        }
    }

    public static Plan plan(List<BmcReport> reports, AddressRule rule) {
        List<PlannedHost> candidates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int n = 0; n < reports.size(); n++) {
            BmcReport r = reports.get(n);
            if (!r.reachedBmc()) {
                continue;
            }
            if (r.uuid().isEmpty() && r.hostMacs().isEmpty()) {
                problems.add("BMC " + r.address() + ": no system UUID and no host MAC: nothing to match the machine by");
                continue;
            }
            try {
                candidates.add(new PlannedHost(r, rule.assign(r.address(), n)));
            } catch (IllegalArgumentException e) {
                problems.add("BMC " + r.address() + ": " + e.getMessage());
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (PlannedHost h : candidates) {
            seen.merge("ip " + h.host().address(), 1, Integer::sum);
            seen.merge("name " + h.host().name(), 1, Integer::sum);
        }
        List<PlannedHost> hosts = new ArrayList<>();
        for (PlannedHost h : candidates) {
            if (seen.get("ip " + h.host().address()) > 1 || seen.get("name " + h.host().name()) > 1) {
                problems.add("BMC " + h.report().address() + ": " + h.host().name() + " / " + h.host().address()
                        + " is also given to another BMC: fix the rule");
            } else {
                hosts.add(h);
            }
        }
        return new Plan(hosts, problems);
    }
}
