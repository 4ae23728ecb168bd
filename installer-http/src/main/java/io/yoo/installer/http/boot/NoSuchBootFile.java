package io.yoo.installer.http.boot;

import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Under {@code /boot/} and {@code /profiles/}, what no boot endpoint serves: 405 for methods other than GET/HEAD, else 404. */
public final class NoSuchBootFile extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        return Responses.error(request, response, callback, 404, "no such boot file");
    }
}
