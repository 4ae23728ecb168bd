package io.yoo.installer.http.support;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Says {@code Connection: close} in a response whose request body is still unread when the
 * response is committed (a 401/403/405 answered from the headers alone, before the client's body
 * has arrived).
 *
 * <p>Why: Jetty consumes what is left of the body only when the exchange completes, after the
 * headers went out. If the rest of the body has not arrived by then, Jetty closes the connection
 * after a response that promised to keep it open: a client that pools connections (the JDK's
 * HttpClient, the CLI) sends its next request on it and reads nothing ("header parser received no
 * bytes"). Under load the body arrives late more often, so this showed as flaky tests. Here the
 * leftover is consumed (or found missing) before the headers are written, and a response that
 * cannot keep the connection says so.
 */
public final class CloseWhenBodyUnread extends Handler.Wrapper {

    public CloseWhenBodyUnread(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() == 0) {
            // no body: nothing can be left unread (the GET and sendfile paths stay unwrapped)
            return super.handle(request, response, callback);
        }
        Response guarded = new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                beforeCommit(request, getWrapped());
                super.write(last, content, written);
            }
        };
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                // a response without a body (204, 304) is committed at completion
                beforeCommit(request, response);
                super.succeeded();
            }
        };
        return super.handle(request, guarded, done);
    }

    private static void beforeCommit(Request request, Response response) {
        // consumeAvailable: reads what has arrived without blocking; true when the body is all read
        if (!response.isCommitted() && !request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
    }
}
