package io.yoo.installer.http.api;

import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.http.support.BearerToken;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Guards every admin API endpoint under {@code /api/v1} (documented in {@code /openapi.json}):
 * the admin bearer token is required ({@code Authorization: Bearer ...}; when no Bearer header
 * is sent, {@code ?access_token=} on the event stream alone — for EventSource, which cannot set headers), checked before
 * anything else, also for paths no endpoint serves. A state store that fails answers 503.
 */
public final class AdminOnly extends Handler.Wrapper {
    private final AdminToken token;

    private final boolean queryTokenAllowed;

    public AdminOnly(AdminToken token, Handler endpoint) {
        this(token, endpoint, false);
    }

    /** @param queryTokenAllowed whether {@code ?access_token=} is accepted: only for the event stream (EventSource cannot send headers) */
    public AdminOnly(AdminToken token, Handler endpoint, boolean queryTokenAllowed) {
        super(endpoint);
        this.token = token;
        this.queryTokenAllowed = queryTokenAllowed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!authorised(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"yoo\"");
            boolean inUrl = !queryTokenAllowed && BearerToken.of(request).isEmpty()
                    && Request.extractQueryParameters(request).get("access_token") != null;
            return Responses.error(request, response, callback, 401, inUrl
                    ? "admin token required in the Authorization header (?access_token= is accepted for /api/v1/stream only)"
                    : "admin token required (Authorization: Bearer <token from the state dir>)");
        }
        try {
            return super.handle(request, response, callback);
        } catch (StateStoreException e) {
            return Responses.error(request, response, callback, 503, "state store unavailable: " + e.getMessage());
        }
    }

    private boolean authorised(Request request) {
        Optional<String> bearer = BearerToken.of(request);
        if (bearer.isPresent()) {
            return token.matches(bearer.get());
        }
        // a token in a URL ends up in logs and browser history: only where there is no other way
        return queryTokenAllowed && token.matches(Request.extractQueryParameters(request).getValue("access_token"));
    }
}
