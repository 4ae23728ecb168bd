package io.yoo.installer.ipmi.plan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.ipmi.scan.BmcReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies an {@link AddressRule} to scan results. Every reason a BMC's machine is left out, or a
 * value of it is not used, is a problem of that BMC:
 * <ul>
 * <li>a placeholder UUID (all zeros, all ones: firmware never programmed it) is not used;
 * <li>a multicast/broadcast or all-zero host MAC is not used (no NIC has one);
 * <li>no usable UUID and no usable MAC: nothing to match the machine by, left out;
 * <li>a rule result that is not an address or a name: left out;
 * <li>two BMCs given the same address or name, or reporting the same UUID or host MAC (a cloned
 *     firmware image, a shared NIC): both left out, since either entry would give one machine's
 *     address to the other.
 * </ul>
 * BMCs that did not answer are not planned and get no plan problem (their status says why).
 */
public final class Planner {
    private Planner() {}

    /**
     * @param hosts     the machines to write out, each with its usable values only
     * @param problems  per BMC address, in scan order: why its machine, or a value, was left out
     */
    public record Plan(List<PlannedHost> hosts, Map<Ipv4, List<String>> problems) {
        public Plan {
            hosts = List.copyOf(hosts);
            Map<Ipv4, List<String>> copy = new LinkedHashMap<>();
            problems.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            problems = Collections.unmodifiableMap(copy);
        }

        /** The problems of the BMC at {@code bmc} (empty if none). */
        public List<String> problemsOf(Ipv4 bmc) {
            return problems.getOrDefault(bmc, List.of());
        }

        /** Every problem as one line, "BMC address: problem". */
        public List<String> allProblems() {
            List<String> out = new ArrayList<>();
            problems.forEach((bmc, ps) -> ps.forEach(p -> out.add("BMC " + bmc + ": " + p)));
            return out;
        }
    }

    public static Plan plan(List<BmcReport> reports, AddressRule rule) {
        Map<Ipv4, List<String>> problems = new LinkedHashMap<>();
        List<PlannedHost> candidates = new ArrayList<>();
        for (int n = 0; n < reports.size(); n++) {
            BmcReport r = reports.get(n);
            if (!r.reachedBmc()) {
                continue;
            }
            List<String> mine = problems.computeIfAbsent(r.address(), k -> new ArrayList<>());
            BmcReport usable = usableValues(r, mine);
            if (usable.uuid().isEmpty() && usable.hostMacs().isEmpty()) {
                mine.add("not planned: no usable system UUID and no usable host MAC, nothing to match the machine by");
                continue;
            }
            try {
                candidates.add(new PlannedHost(usable, rule.assign(r.address(), n)));
            } catch (IllegalArgumentException e) {
                mine.add("not planned: " + e.getMessage());
            }
        }
        Map<String, List<PlannedHost>> owners = new HashMap<>();
        for (PlannedHost h : candidates) {
            for (String key : keys(h)) {
                owners.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
            }
        }
        List<PlannedHost> hosts = new ArrayList<>();
        for (PlannedHost h : candidates) {
            List<String> clashes = new ArrayList<>();
            for (String key : keys(h)) {
                List<PlannedHost> others = owners.get(key).stream().filter(o -> o != h).toList();
                if (!others.isEmpty()) {
                    clashes.add(key + " also of BMC " + String.join(", ", others.stream().map(o -> o.report().address().toString()).toList()));
                }
            }
            if (clashes.isEmpty()) {
                hosts.add(h);
            } else {
                problems.get(h.report().address()).add("not planned: " + String.join("; ", clashes)
                        + (clashes.stream().anyMatch(c -> c.startsWith("ip ") || c.startsWith("name ")) ? " (fix the rule)" : ""));
            }
        }
        problems.values().removeIf(List::isEmpty);
        return new Plan(hosts, problems);
    }

    /** What must be unique among planned machines. */
    private static List<String> keys(PlannedHost h) {
        List<String> keys = new ArrayList<>();
        keys.add("ip " + h.host().address());
        keys.add("name " + h.host().name());
        h.report().uuid().ifPresent(u -> keys.add("uuid " + u));
        h.macs().forEach(m -> keys.add("mac " + m));
        return keys;
    }

    /** The report with placeholder UUIDs and impossible MACs taken out, each noted in {@code problems}. */
    private static BmcReport usableValues(BmcReport r, List<String> problems) {
        Optional<SmbiosUuid> uuid = r.uuid();
        if (uuid.isPresent() && isPlaceholder(uuid.get())) {
            problems.add("system UUID " + uuid.get() + " is a placeholder (never programmed); not used");
            uuid = Optional.empty();
        }
        LinkedHashSet<MacAddress> macs = new LinkedHashSet<>();
        for (MacAddress m : r.hostMacs()) {
            if (m.value() == 0) {
                problems.add("host MAC " + m + " is all zeros; not used");
            } else if (m.isMulticast()) {
                problems.add("host MAC " + m + (m.value() == 0xFFFF_FFFF_FFFFL ? " is the broadcast address" : " is a multicast address")
                        + "; not used");
            } else {
                macs.add(m);
            }
        }
        return new BmcReport(r.address(), r.status(), r.protocol(), r.bmcIp(), r.bmcMac(), r.guidHex(), uuid, r.serial(), r.product(),
                r.manufacturer(), r.powerOn(), new ArrayList<>(macs), r.problems());
    }

    /** All zeros or all ones: what BMCs report when the board's UUID was never set. */
    static boolean isPlaceholder(SmbiosUuid u) {
        return (u.msb() == 0 && u.lsb() == 0) || (u.msb() == -1L && u.lsb() == -1L);
    }
}
