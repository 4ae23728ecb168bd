package io.yoo.installer.http.api.audit;

import io.yoo.installer.core.state.AuditEntry;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/audit?limit=N} (admin): the latest admin actions, newest first (default 100, at most 1000). */
public final class AuditEndpoint extends NoSuchApi.GetOnly {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ApiAccess access;

    public AuditEndpoint(ApiAccess access) {
        this.access = access;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        if (access.store().isEmpty()) {
            return Responses.jsonTagged(request, response, callback, List.of());
        }
        String l = Request.extractQueryParameters(request).getValue("limit");
        int limit = DEFAULT_LIMIT;
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return Responses.error(request, response, callback, 400, "limit must be a number from 1 to " + MAX_LIMIT);
            }
        }
        return Responses.jsonTagged(request, response, callback, access.store().get().audit(limit).stream().map(AuditEndpoint::json).toList());
    }

    private static Map<String, Object> json(AuditEntry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("at", e.at().toString());
        v.put("actor", e.actor());
        v.put("action", e.action());
        v.put("target", e.target().orElse(null));
        v.put("client", e.client().orElse(null));
        v.put("detail", e.detail().orElse(null));
        return v;
    }
}
