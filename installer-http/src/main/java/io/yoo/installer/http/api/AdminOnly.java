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
 * is sent, {@code ?access_token=} — for EventSource, which cannot set headers), checked before
 * anything else, also for paths no endpoint serves. A state store that fails answers 503.
 */
public final class AdminOnly extends Handler.Wrapper {
    private final AdminToken token;

    public AdminOnly(AdminToken token, Handler endpoint) {
        super(endpoint);
        this.token = token;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!authorised(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"yoo\"");
            return Responses.error(response, callback, 401, "admin token required (Authorization: Bearer <token from the state dir>)");
        }
        try {
            return super.handle(request, response, callback);
        } catch (StateStoreException e) {
            return Responses.error(response, callback, 503, "state store unavailable: " + e.getMessage());
        }
    }

    private boolean authorised(Request request) {
        Optional<String> bearer = BearerToken.of(request);
        if (bearer.isPresent()) {
            return token.matches(bearer.get());
        }
        return token.matches(Request.extractQueryParameters(request).getValue("access_token"));
    }
}
