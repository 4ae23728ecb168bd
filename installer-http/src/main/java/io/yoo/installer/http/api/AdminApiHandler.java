package io.yoo.installer.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.state.LeaseSource;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.core.state.Transition;
import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API under {@code /api/v1} (documented in {@code /openapi.json}). Every call needs
 * the admin bearer token ({@code Authorization: Bearer ...}; {@code ?access_token=} for
 * EventSource, which cannot set headers).
 */
public final class AdminApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApiHandler.class);
    private static final int HISTORY = 500;

    private final AdminToken token;
    private final StateStore store;
    private final MachineViews views;
    private final MachineArtifacts artifacts;
    private final SseHub sse;
    private final LeaseSource leases;

    public AdminApiHandler(AdminToken token, StateStore store, MachineViews views, MachineArtifacts artifacts, SseHub sse,
            LeaseSource leases) {
        this.leases = leases;
        this.token = token;
        this.store = store;
        this.views = views;
        this.artifacts = artifacts;
        this.sse = sse;
    }

    /** @param rest path after {@code /api/v1/} */
    public boolean handle(String rest, Request request, Response response, Callback callback) {
        if (!authorised(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"yoo\"");
            return Responses.error(response, callback, 401, "admin token required (Authorization: Bearer <token from the state dir>)");
        }
        String method = request.getMethod();
        boolean get = HttpMethod.GET.is(method);
        String[] p = rest.split("/", -1);
        try {
            if (get && rest.equals("machines")) {
                return Responses.json(response, callback, 200, views.all());
            }
            if (get && rest.equals("summary")) {
                return Responses.json(response, callback, 200, views.summary());
            }
            if (get && rest.equals("leases")) {
                try {
                    return Responses.json(response, callback, 200, leases.leases());
                } catch (Exception e) {
                    return Responses.error(response, callback, 503, "leases unavailable: " + e.getMessage());
                }
            }
            if (get && rest.equals("stream")) {
                return sse.open(response, callback, this::snapshot);
            }
            if (p.length == 2 && p[0].equals("machines") && get) {
                return machine(p[1], response, callback);
            }
            if (p.length == 4 && p[0].equals("machines") && p[2].equals("render") && get) {
                return render(p[1], p[3], response, callback);
            }
            if (p.length == 3 && p[0].equals("machines") && p[2].equals("reprovision")) {
                if (!HttpMethod.POST.is(method)) {
                    return Responses.error(response, callback, 405, "use POST");
                }
                return reprovision(p[1], request, response, callback);
            }
        } catch (StateStoreException e) {
            return Responses.error(response, callback, 503, "state store unavailable: " + e.getMessage());
        }
        return Responses.error(response, callback, 404, "no such API: " + method + " /api/v1/" + rest);
    }

    private boolean authorised(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return token.matches(auth.substring(7).strip());
        }
        return token.matches(Request.extractQueryParameters(request).getValue("access_token"));
    }

    private boolean machine(String name, Response response, Callback callback) {
        Optional<Map<String, Object>> v = views.one(name);
        if (v.isEmpty()) {
            return Responses.error(response, callback, 404, "no machine named '" + name + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>(v.get());
        out.put("history", store.history(name, HISTORY).stream().map(MachineViews::event).toList());
        return Responses.json(response, callback, 200, out);
    }

    private boolean render(String name, String kindKey, Response response, Callback callback) {
        ArtifactKind kind;
        try {
            kind = ArtifactKind.fromKey(kindKey);
        } catch (IllegalArgumentException e) {
            return Responses.error(response, callback, 400, e.getMessage());
        }
        Optional<Rendered> r = artifacts.render(name, kind);
        if (r.isEmpty()) {
            return Responses.error(response, callback, 404, kind.key() + " not available for '" + name + "'");
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
    }

    private boolean reprovision(String name, Request request, Response response, Callback callback) {
        if (views.one(name).isEmpty()) {
            return Responses.error(response, callback, 404, "no machine named '" + name + "'");
        }
        String reason = "reprovision requested";
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(4096);
            if (body.length > 0) {
                var node = Responses.JSON.readTree(body);
                if (node != null && node.hasNonNull("reason")) {
                    reason = node.get("reason").asText();
                }
            }
        } catch (IOException e) {
            return Responses.error(response, callback, 400, "body must be empty or {\"reason\": \"...\"}");
        }
        Transition t = store.reset(name, reason, Instant.now());
        LOG.info("machine {} reset for reprovisioning ({}), generation {}", name, reason, t.after().generation());
        return Responses.json(response, callback, 200, views.view(name, t.after()));
    }

    private String snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("machines", views.all());
        try {
            return Responses.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
