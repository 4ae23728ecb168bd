package io.yoo.installer.http.routing;

import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.http.metrics.ProcessMetrics.Route;
import io.yoo.installer.http.support.Responses;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every endpoint gets around it, so that the endpoints themselves only answer: the request
 * is counted under the endpoint's metrics route and status, handed to the thread pool when it may
 * block, answered 404 when the endpoint declines it and 500 when it throws.
 *
 * <p>NON_BLOCKING: Jetty then runs us on the thread that read the request (no hand-off per
 * request), which is what lets static files and boot scripts keep up with nginx. Whatever may
 * block — reading a body, waiting for a database commit, rendering a config that waits for the
 * cluster secrets — is handed to the server's thread pool ({@code mayBlock}), because a blocked
 * selector thread would stall every connection it owns.
 */
public final class Endpoint extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    /** For endpoints that answer from memory or write asynchronously. */
    public static final Predicate<Request> NEVER_BLOCKS = r -> false;
    /** For endpoints that read a body, touch the store or render per request. */
    public static final Predicate<Request> MAY_BLOCK = r -> true;

    private final Route route;
    private final Predicate<Request> mayBlock;
    private final ProcessMetrics metrics;

    /** The metrics route, which also says which listener serves the endpoint when the admin surface is apart. */
    public Route route() {
        return route;
    }

    public Endpoint(Route route, Predicate<Request> mayBlock, ProcessMetrics metrics, Handler endpoint) {
        super(endpoint);
        this.route = route;
        this.mayBlock = mayBlock;
        this.metrics = metrics;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Callback counted = counted(response, callback);
        if (mayBlock.test(request)) {
            request.getComponents().getExecutor().execute(() -> serve(request, response, counted));
        } else {
            serve(request, response, counted);
        }
        return true;
    }

    /** Answers the request, always completing the callback. */
    private void serve(Request request, Response response, Callback counted) {
        try {
            if (!getHandler().handle(request, response, counted)) {
                Responses.error(request, response, counted, 404, "not found");
            }
        } catch (Exception e) {
            LOG.error("{} {} failed", request.getMethod(), request.getHttpURI().getDecodedPath(), e);
            if (!response.isCommitted()) {
                Responses.error(request, response, counted, 500, "internal error");
            } else {
                counted.failed(e);
            }
        }
    }

    private Callback counted(Response response, Callback callback) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                metrics.http(route, response.getStatus(), Response.getContentBytesWritten(response));
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                metrics.http(route, response.isCommitted() ? response.getStatus() : 500, Response.getContentBytesWritten(response));
                super.failed(x);
            }
        };
    }
}
