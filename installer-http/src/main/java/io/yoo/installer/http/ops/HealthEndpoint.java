package io.yoo.installer.http.ops;

import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.StoreStatus;
import io.yoo.installer.http.support.Responses;
import java.time.Instant;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (the state store answers too; while it
 * is down, the 503's text says since when, why, and how many writes are queued); any method.
 */
public final class HealthEndpoint extends Handler.Abstract {
    public static final String LIVE = "/healthz";
    public static final String READY = "/readyz";

    private final StateStore store;

    private HealthEndpoint(StateStore store) {
        this.store = store;
    }

    public static HealthEndpoint live() {
        return new HealthEndpoint(null);
    }

    public static HealthEndpoint ready(StateStore store) {
        return new HealthEndpoint(store);
    }

    /** Only readiness asks the database. */
    public boolean mayBlock() {
        return store != null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (store == null) {
            return Responses.text(response, callback, 200, "ok\n");
        }
        StoreStatus status = store.status();
        if (!status.up()) {
            // writes are queued, reserved machines still answered: not ready for what needs the database
            return Responses.text(response, callback, 503, "state store " + status.describe(Instant.now()) + "\n");
        }
        return store.ping() ? Responses.text(response, callback, 200, "ready\n") : Responses.text(response, callback, 503, "state store not ready\n");
    }
}
