package io.yoo.installer.http.api;

import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /api/v1/*} that no endpoint serves: 404. A known path asked with a method it does not
 * answer is 405 with {@code Allow} instead ({@link GetOnly}, and the POST-only endpoints).
 */
public final class NoSuchApi extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return answer(request, response, callback);
    }

    public static boolean answer(Request request, Response response, Callback callback) {
        return Responses.error(request, response, callback, 404, "no such API: " + request.getMethod() + " " + request.getHttpURI().getDecodedPath());
    }

    /** The API's read-only endpoints answer GET only; anything else is 405 with {@code Allow: GET}. */
    public abstract static class GetOnly extends Handler.Abstract {
        @Override
        public final boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!HttpMethod.GET.is(request.getMethod())) {
                return Problem.methodNotAllowed(request, response, callback, "GET", "use GET");
            }
            return get(request, response, callback);
        }

        protected abstract boolean get(Request request, Response response, Callback callback) throws Exception;
    }
}
