package io.yoo.installer.http.api.machines;

import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/machines}: the machines with their state, filtered ({@link MachineQuery}).
 * Without {@code limit}/{@code cursor} the answer is the JSON array of every matching machine in
 * descriptor order (what the web UI and older clients read); with them it is one page,
 * {@code {"items": [...], "next": "<cursor>"|null}}, ordered by name. Either carries an ETag.
 */
public final class MachineListEndpoint extends NoSuchApi.GetOnly {
    private final MachineViews views;

    public MachineListEndpoint(MachineViews views) {
        this.views = views;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        MachineQuery query;
        try {
            query = MachineQuery.of(Request.extractQueryParameters(request));
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, e.getMessage());
        }
        List<Map<String, Object>> matching = views.all().stream().filter(query::matches).toList();
        if (!query.paged()) {
            return Responses.jsonTagged(request, response, callback, matching);
        }
        List<Map<String, Object>> sorted = matching.stream()
                .sorted(Comparator.comparing((Map<String, Object> m) -> (String) m.get("name")))
                .filter(m -> query.after().isEmpty() || ((String) m.get("name")).compareTo(query.after().get()) > 0)
                .toList();
        int limit = query.limit().orElseThrow();
        List<Map<String, Object>> page = sorted.subList(0, Math.min(limit, sorted.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page);
        out.put("next", sorted.size() > limit ? MachineQuery.cursorAfter((String) page.getLast().get("name")) : null);
        return Responses.jsonTagged(request, response, callback, out);
    }
}
