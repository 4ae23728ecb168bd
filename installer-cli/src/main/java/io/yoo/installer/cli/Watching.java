package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.cli.console.MachineFilter;
import io.yoo.installer.cli.console.ServerApi;
import io.yoo.installer.core.state.MachineState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What {@code yoo status} and {@code yoo watch} share: the filter options and reading the machine list. */
final class Watching {
    /** Machine names as the descriptor allows them; anything else never reaches a URL path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private Watching() {}

    static MachineFilter filter(List<String> states, List<String> roles, List<String> labels) {
        Set<String> known = new LinkedHashSet<>();
        for (MachineState s : MachineState.values()) {
            known.add(s.key());
        }
        return MachineFilter.parse(states, roles, labels, known);
    }

    static String pathSegment(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a machine name");
        }
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /**
     * The matching machine records. The server may already filter (the query carries the
     * filter); it is applied here again so an older server that ignores it gives the same answer.
     */
    static List<JsonNode> machines(ServerApi api, MachineFilter filter) throws ServerApi.Failure {
        JsonNode body = api.get("/api/v1/machines" + filter.query(), Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_ENVIRONMENT);
        JsonNode list = body.isArray() ? body : body.has("items") ? body.get("items") : body.path("machines");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : list) {
            if (filter.test(m)) {
                out.add(m);
            }
        }
        return out;
    }
}
