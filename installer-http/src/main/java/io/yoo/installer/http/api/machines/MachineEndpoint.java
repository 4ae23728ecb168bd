package io.yoo.installer.http.api.machines;

import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.api.events.EventJson;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/machines/{name}}: one machine with its latest {@value #HISTORY} events. */
public final class MachineEndpoint extends NoSuchApi.GetOnly {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)$");
    static final int HISTORY = 500;

    private final MachineViews views;
    private final StateStore store;

    public MachineEndpoint(MachineViews views, StateStore store) {
        this.views = views;
        this.store = store;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        Optional<Map<String, Object>> v = views.one(name);
        if (v.isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named '" + name + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>(v.get());
        out.put("history", store.history(name, HISTORY).stream().map(EventJson::of).toList());
        return Responses.json(response, callback, 200, out);
    }
}
