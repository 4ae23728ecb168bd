package io.yoo.installer.http.ops;

import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.http.support.Responses;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code /metrics}: the process's metrics in Prometheus text format; any method. */
public final class MetricsEndpoint extends Handler.Abstract {
    public static final String PATH = "/metrics";

    private final ProcessMetrics metrics;

    public MetricsEndpoint(ProcessMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        return Responses.send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
