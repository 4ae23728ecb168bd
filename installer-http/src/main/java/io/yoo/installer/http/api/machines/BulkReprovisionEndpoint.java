package io.yoo.installer.http.api.machines;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.api.AdminPost;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.support.JsonBody;
import io.yoo.installer.http.support.Responses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/reprovision}: {@link Reprovisioner} for a set of machines, named in the body
 * ({@code {"names": [...], "reason": "..."}}) and/or chosen by the machine list's filters in the
 * query string ({@code state}, {@code role}, {@code label}, {@code q}; all must hold). A request
 * that selects by neither is refused (400): "every machine" must be asked for by a filter.
 * Answer: {@code {"count": n, "items": [machine views, each with its "bmc" outcome]}}.
 */
public final class BulkReprovisionEndpoint extends AdminPost {
    public static final String PATH = "/api/v1/reprovision";
    static final int MAX_BODY = 256 * 1024;
    static final int MAX_NAMES = 10_000;

    private final MachineViews views;
    private final Reprovisioner reprovisioner;
    private final ApiAccess access;

    public BulkReprovisionEndpoint(StateStore store, MachineViews views, ApiAccess access, MachineBmcs bmcs) {
        super(MAX_BODY);
        this.views = views;
        this.reprovisioner = new Reprovisioner(store, views, bmcs);
        this.access = access;
    }

    @Override
    protected boolean post(Request request, Response response, Callback callback) {
        MachineQuery query;
        try {
            query = MachineQuery.of(Request.extractQueryParameters(request));
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, e.getMessage());
        }
        String reason = "reprovision requested";
        Set<String> named = new LinkedHashSet<>();
        try {
            JsonNode node = body(request).orElse(null);
            if (node != null && !node.isObject()) {
                throw new JsonBody.Refused(400, "not an object");
            }
            if (node != null && node.hasNonNull("reason")) {
                reason = node.get("reason").asText();
            }
            JsonNode names = node == null ? null : node.get("names");
            if (names != null && !names.isNull()) {
                if (!names.isArray() || names.size() > MAX_NAMES) {
                    return Responses.error(request, response, callback, 400, "names must be an array of at most " + MAX_NAMES + " machine names");
                }
                for (JsonNode n : names) {
                    named.add(n.asText());
                }
            }
        } catch (JsonBody.Refused e) {
            return e.status() == 413 ? e.send(request, response, callback)
                    : Responses.error(request, response, callback, 400, "body must be empty or {\"names\": [...], \"reason\": \"...\"}");
        }
        boolean filtered = !query.states().isEmpty() || !query.roles().isEmpty() || !query.labels().isEmpty() || query.q().isPresent();
        if (named.isEmpty() && !filtered) {
            return Responses.error(request, response, callback, 400,
                    "say which machines: \"names\" in the body, or a filter (state, role, label, q) in the query");
        }
        List<String> unknown = named.stream().filter(n -> views.one(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named " + String.join(", ", unknown.stream()
                    .limit(10).map(n -> "'" + n + "'").toList()) + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
        }
        List<String> chosen = new ArrayList<>();
        for (Map<String, Object> m : views.all()) {
            String name = (String) m.get("name");
            if ((named.isEmpty() || named.contains(name)) && (!filtered || query.matches(m))) {
                chosen.add(name);
            }
        }
        List<Map<String, Object>> done = reprovisioner.reprovisionAll(chosen, reason);
        for (String name : chosen) {
            Audit.record(access.store(), request, "machine.reprovision", name, Optional.of(reason));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", done.size());
        out.put("items", done);
        return Responses.json(response, callback, 200, out);
    }
}
