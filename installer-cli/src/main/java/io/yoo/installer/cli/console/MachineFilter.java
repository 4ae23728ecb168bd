package io.yoo.installer.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which machines a shell command looks at: by state, role and labels (all given must match; an
 * empty set matches everything). Applied to the API's machine records, so it works the same
 * whether or not the server filtered already.
 */
public record MachineFilter(Set<String> states, Set<String> roles, Map<String, String> labels) {

    public static final MachineFilter ALL = new MachineFilter(Set.of(), Set.of(), Map.of());

    public MachineFilter {
        states = Set.copyOf(states);
        roles = Set.copyOf(roles);
        labels = Map.copyOf(labels);
    }

    /**
     * From the options as typed: states and roles may be comma-separated, labels are {@code key=value}.
     *
     * @throws IllegalArgumentException naming the bad value (a label without '=', an unknown state)
     */
    public static MachineFilter parse(List<String> states, List<String> roles, List<String> labels, Set<String> knownStates) {
        Set<String> s = new TreeSet<>();
        for (String v : split(states)) {
            if (!knownStates.contains(v)) {
                throw new IllegalArgumentException("unknown state '" + v + "' (one of " + String.join(", ", knownStates) + ")");
            }
            s.add(v);
        }
        Map<String, String> l = new LinkedHashMap<>();
        for (String kv : labels) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--label wants key=value, not '" + kv + "'");
            }
            l.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return new MachineFilter(s, new TreeSet<>(split(roles)), l);
    }

    private static List<String> split(List<String> values) {
        return values.stream().flatMap(v -> List.of(v.split(",")).stream()).map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).toList();
    }

    public boolean test(JsonNode machine) {
        if (!states.isEmpty() && !states.contains(machine.path("state").asText())) {
            return false;
        }
        if (!roles.isEmpty() && !roles.contains(machine.path("role").asText())) {
            return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            JsonNode v = machine.path("labels").get(e.getKey());
            if (v == null || !v.asText().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The same filter as API query parameters (a server that knows them sends less). */
    public String query() {
        StringBuilder q = new StringBuilder();
        states.forEach(s -> q.append(q.isEmpty() ? "?" : "&").append("state=").append(encode(s)));
        roles.forEach(r -> q.append(q.isEmpty() ? "?" : "&").append("role=").append(encode(r)));
        labels.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append("label=").append(encode(k + "=" + v)));
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
