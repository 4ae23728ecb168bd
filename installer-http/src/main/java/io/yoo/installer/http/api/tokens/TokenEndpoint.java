package io.yoo.installer.http.api.tokens;

import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code DELETE /api/v1/tokens/{name}} (admin): revokes the token at once; audited. */
public final class TokenEndpoint extends Handler.Abstract {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/tokens/(?<name>[^/]*)$");

    private final ApiAccess access;

    public TokenEndpoint(ApiAccess access) {
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.DELETE.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "DELETE", "use DELETE");
        }
        if (access.store().isEmpty()) {
            return Responses.error(request, response, callback, 503, "this server keeps no API tokens (no state store)");
        }
        String name = PATH.param(request, "name");
        if (!access.store().get().revokeToken(name)) {
            return Responses.error(request, response, callback, 404, "no token named '" + name + "'");
        }
        Audit.record(access.store(), request, "token.revoke", name, Optional.empty());
        response.setStatus(204);
        callback.succeeded();
        return true;
    }
}
