package io.yoo.installer.http.api;

import io.yoo.installer.core.state.ApiTokenKind;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.http.support.BearerToken;
import io.yoo.installer.http.support.Responses;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Guards every API endpoint under {@code /api/v1} (documented in {@code /openapi.json}): a token
 * is required ({@code Authorization: Bearer ...}), checked before anything else, also for paths no
 * endpoint serves: 401 without a valid one, 403 when a read-only token asks for an admin action.
 * {@code ?access_token=} is accepted on the event stream alone (EventSource cannot send headers; a
 * token in a URL ends up in logs and browser history). A state store that fails answers 503.
 */
public final class ApiGuard extends Handler.Wrapper {
    private static final String CALLER = ApiGuard.class.getName() + ".caller";

    private final ApiAccess access;
    private final ApiTokenKind needed;
    private final boolean queryTokenAllowed;

    public ApiGuard(ApiAccess access, ApiTokenKind needed, Handler endpoint) {
        this(access, needed, endpoint, false);
    }

    /** @param queryTokenAllowed whether {@code ?access_token=} is accepted: only for the event stream */
    public ApiGuard(ApiAccess access, ApiTokenKind needed, Handler endpoint, boolean queryTokenAllowed) {
        super(endpoint);
        this.access = access;
        this.needed = needed;
        this.queryTokenAllowed = queryTokenAllowed;
    }

    /** The caller the guard let through (for the audit log). */
    public static ApiCaller caller(Request request) {
        return (ApiCaller) request.getAttribute(CALLER);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        try {
            Optional<ApiCaller> caller = access.caller(presented(request), Instant.now());
            if (caller.isEmpty()) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"yoo\"");
                boolean inUrl = !queryTokenAllowed && BearerToken.of(request).isEmpty()
                        && Request.extractQueryParameters(request).get("access_token") != null;
                return Responses.error(request, response, callback, 401, inUrl
                        ? "admin token required in the Authorization header (?access_token= is accepted for /api/v1/stream only)"
                        : "admin token required (Authorization: Bearer <token from the state dir, or from yoo token create>)");
            }
            if (!caller.get().may(needed)) {
                return Responses.error(request, response, callback, 403,
                        "token '" + caller.get().name() + "' is read-only; this needs an admin token");
            }
            request.setAttribute(CALLER, caller.get());
            return super.handle(request, response, callback);
        } catch (StateStoreException e) {
            return Responses.error(request, response, callback, 503, "state store unavailable: " + e.getMessage());
        }
    }

    private String presented(Request request) {
        Optional<String> bearer = BearerToken.of(request);
        if (bearer.isPresent()) {
            return bearer.get();
        }
        return queryTokenAllowed ? Request.extractQueryParameters(request).getValue("access_token") : null;
    }
}
