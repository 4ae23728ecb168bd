package io.yoo.installer.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.http.support.JsonBody;
import io.yoo.installer.http.support.Problem;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An admin action (change-ip, reprovision, bulk reprovision, enroll): POST only (405 with {@code Allow} otherwise),
 * its JSON body read bounded ({@link #body}: 413 over the limit, 400 not JSON), then
 * {@link #post}, which records the action with {@link Audit}. The admin token is checked before
 * any of this, by the route's {@link ApiGuard}.
 */
public abstract class AdminPost extends Handler.Abstract {
    private final int maxBody;

    protected AdminPost(int maxBody) {
        this.maxBody = maxBody;
    }

    @Override
    public final boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "POST", "use POST");
        }
        return post(request, response, callback);
    }

    /** The action, for a POST. */
    protected abstract boolean post(Request request, Response response, Callback callback) throws Exception;

    /** The request's JSON body (empty when there is none), at most the limit this endpoint was made with. */
    protected final Optional<JsonNode> body(Request request) throws JsonBody.Refused {
        return JsonBody.read(request, maxBody);
    }
}
