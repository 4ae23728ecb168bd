package io.yoo.installer.http;

import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.api.AdminApiHandler;
import io.yoo.installer.http.api.EventsHandler;
import io.yoo.installer.http.assets.AssetHandler;
import io.yoo.installer.http.boot.BootHandler;
import io.yoo.installer.http.metrics.HttpMetrics;
import io.yoo.installer.http.metrics.HttpMetrics.Route;
import io.yoo.installer.http.support.Responses;
import io.yoo.installer.http.ui.UiHandler;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one top-level handler: routes by path prefix and counts every request by route and status. */
final class YooHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(YooHandler.class);
    private static final String EVENTS_PREFIX = "/api/v1/machines/";
    private static final String EVENTS_SUFFIX = "/events";

    private final AssetHandler assets;
    private final AssetHandler rootAssets;
    private final BootHandler boot;
    private final EventsHandler events;
    private final AdminApiHandler admin;
    private final UiHandler ui;
    private final StateStore store;
    private final HttpMetrics metrics;

    /** @param rootAssets serves files at {@code /} for paths nothing else claims; null for none */
    YooHandler(AssetHandler assets, AssetHandler rootAssets, BootHandler boot, EventsHandler events, AdminApiHandler admin, UiHandler ui,
            StateStore store, HttpMetrics metrics) {
        // the asset handlers' ContextHandlers need the server's lifecycle
        super(rootAssets == null ? assets : new Handler.Sequence(assets, rootAssets));
        this.assets = assets;
        this.rootAssets = rootAssets;
        this.boot = boot;
        this.events = events;
        this.admin = admin;
        this.ui = ui;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * NON_BLOCKING: Jetty then runs us on the thread that read the request (no hand-off per
     * request), which is what lets static files and boot scripts keep up with nginx. Whatever may
     * block — reading a body, waiting for a database commit, a Range request copied from a file —
     * is handed to the server's thread pool here ({@link #mayBlock}), because a blocked selector
     * thread would stall every connection it owns.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getDecodedPath();
        Route route = route(path);
        if (route == Route.OTHER && rootAssets != null) {
            route = Route.ASSETS;
        }
        Callback counted = counted(route, response, callback);
        if (mayBlock(route, path)) {
            Route r = route;
            request.getComponents().getThreadPool().execute(() -> serve(r, path, request, response, counted));
        } else {
            serve(route, path, request, response, counted);
        }
        return true;
    }

    /**
     * True for requests whose handling can block a thread. Assets are written asynchronously
     * (Jetty's ResourceService, or FileRegionWriter for large files and single ranges); boot
     * scripts come from memory and their sightings are queued, not committed
     * ({@link HttpServices#sightings}); configs and install scripts are rendered per request and
     * may wait for the cluster secrets, so they go to the pool.
     */
    static boolean mayBlock(Route route, String path) {
        return switch (route) {
            case BOOT -> !BootHandler.isBootScript(path);
            case HEALTH -> path.equals("/readyz");
            case ASSETS, OTHER -> false;
            default -> true;
        };
    }

    /** Answers the request, always completing the callback. */
    private void serve(Route route, String path, Request request, Response response, Callback counted) {
        try {
            if (route == Route.ASSETS && rootAssets != null && !path.startsWith("/assets/")) {
                if (!rootAssets.handle(request, response, counted)) {
                    Responses.error(response, counted, 404, "not found");
                }
                return;
            }
            if (!dispatch(route, path, request, response, counted)) {
                Responses.error(response, counted, 404, "not found");
            }
        } catch (Exception e) {
            LOG.error("{} {} failed", request.getMethod(), path, e);
            if (!response.isCommitted()) {
                Responses.error(response, counted, 500, "internal error");
            } else {
                counted.failed(e);
            }
        }
    }

    private Callback counted(Route route, Response response, Callback callback) {
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

    private boolean dispatch(Route route, String path, Request request, Response response, Callback cb) throws Exception {
        return switch (route) {
            case ASSETS -> assets.handle(request, response, cb);
            case BOOT -> boot.handle(request, response, cb);
            case EVENTS -> {
                if (!HttpMethod.POST.is(request.getMethod())) {
                    yield Responses.error(response, cb, 405, "use POST");
                }
                yield events.handle(path.substring(EVENTS_PREFIX.length(), path.length() - EVENTS_SUFFIX.length()), request, response, cb);
            }
            case API -> admin.handle(path.substring("/api/v1/".length()), request, response, cb);
            case UI -> ui.handle(path, response, cb);
            case HEALTH -> path.equals("/healthz")
                    ? Responses.text(response, cb, 200, "ok\n")
                    : (store.ping() ? Responses.text(response, cb, 200, "ready\n") : Responses.text(response, cb, 503, "state store not ready\n"));
            case METRICS -> Responses.send(response, cb, 200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
            case OTHER -> false;
        };
    }

    static Route route(String path) {
        if (path.startsWith("/assets/")) {
            return Route.ASSETS;
        }
        if (path.equals("/boot.ipxe") || path.startsWith("/boot/") || path.startsWith("/m/") || path.startsWith("/profiles/")) {
            return Route.BOOT;
        }
        if (path.startsWith(EVENTS_PREFIX) && path.endsWith(EVENTS_SUFFIX) && path.length() > EVENTS_PREFIX.length() + EVENTS_SUFFIX.length()
                && path.indexOf('/', EVENTS_PREFIX.length()) == path.length() - EVENTS_SUFFIX.length()) {
            return Route.EVENTS;
        }
        if (path.startsWith("/api/v1/")) {
            return Route.API;
        }
        if (UiHandler.serves(path)) {
            return Route.UI;
        }
        if (path.equals("/healthz") || path.equals("/readyz")) {
            return Route.HEALTH;
        }
        if (path.equals("/metrics")) {
            return Route.METRICS;
        }
        return Route.OTHER;
    }
}
