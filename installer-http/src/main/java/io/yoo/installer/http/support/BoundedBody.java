package io.yoo.installer.http.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The whole body of a request a machine posts (a progress event, an install log, a discovery
 * inventory, a menu report) when it is at most {@code max} bytes; else the caller answers 413.
 *
 * <p>An oversized body up to {@code drainLimit} bytes in all is read and dropped before that
 * answer. Why: answering with the body still unread made Jetty close the connection under a
 * client still writing, which then saw a reset or a broken pipe instead of the 413 (the event and
 * discovery tests in CI: "header parser received no bytes"; OversizedBodiesTest). A body declared
 * larger than {@code drainLimit} is not worth reading: the answer says {@code Connection: close}
 * and such a client may see only the close. One without a declared length that runs past the
 * bound is left to {@link CloseWhenBodyUnread}.
 */
public final class BoundedBody {
    private BoundedBody() {}

    /**
     * The body, or empty when it is over {@code max} bytes (answer 413). Blocks (the endpoints run
     * as MAY_BLOCK).
     */
    public static Optional<byte[]> read(Request request, Response response, int max, long drainLimit) throws IOException {
        long declared = request.getLength();
        if (declared > drainLimit) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            return Optional.empty();
        }
        try (InputStream in = Request.asInputStream(request)) {
            // the declared length when there is one (the usual case): one right-sized read
            byte[] bytes = in.readNBytes(declared >= 0 && declared <= max ? (int) declared + 1 : max + 1);
            if (bytes.length <= max) {
                return Optional.of(bytes);
            }
            drop(in, drainLimit - bytes.length);
            return Optional.empty();
        }
    }

    private static void drop(InputStream in, long atMost) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = atMost;
        int n;
        while (left > 0 && (n = in.read(buffer)) >= 0) {
            left -= n;
        }
    }
}
