package io.yoo.installer.http.api;

import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /api/v1/*} that no endpoint serves, and a read-only endpoint asked with another method than GET: 404. */
public final class NoSuchApi extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return answer(request, response, callback);
    }

    public static boolean answer(Request request, Response response, Callback callback) {
        return Responses.error(response, callback, 404, "no such API: " + request.getMethod() + " " + request.getHttpURI().getDecodedPath());
    }

    /** The API's read-only endpoints answer GET only; anything else is "no such API". */
    public abstract static class GetOnly extends Handler.Abstract {
        @Override
        public final boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!HttpMethod.GET.is(request.getMethod())) {
                return answer(request, response, callback);
            }
            return get(request, response, callback);
        }

        protected abstract boolean get(Request request, Response response, Callback callback) throws Exception;
    }
}
