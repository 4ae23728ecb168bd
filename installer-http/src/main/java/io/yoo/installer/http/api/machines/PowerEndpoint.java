package io.yoo.installer.http.api.machines;

import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/machines/{name}/power}: the machine's power state as its BMC reports it,
 * {@code {"machine", "bmc", "power": "on"|"off"|null, "checkedAt"}} ({@code bmc} and {@code power}
 * null when the descriptor gives the machine no BMC). Read at most once per {@link #CACHE} per
 * machine (a drawer left open, several consoles: one BMC login), and never waited for longer than
 * {@link #WAIT}: a BMC that does not answer in time is 504, one that fails 502.
 */
public final class PowerEndpoint extends NoSuchApi.GetOnly {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/power$");
    static final Duration CACHE = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(8);

    private final MachineViews views;
    private final MachineBmcs bmcs;
    private final Clock clock;
    private final Map<String, Reading> cache = new ConcurrentHashMap<>();

    /** One BMC reading, started at {@code at}; {@code on} completes when the BMC answered. */
    private record Reading(Instant at, CompletableFuture<Boolean> on) {}

    public PowerEndpoint(MachineViews views, MachineBmcs bmcs) {
        this(views, bmcs, Clock.systemUTC());
    }

    PowerEndpoint(MachineViews views, MachineBmcs bmcs, Clock clock) {
        this.views = views;
        this.bmcs = bmcs;
        this.clock = clock;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        if (views.one(name).isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named '" + name + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", name);
        Optional<MachineBmcs.Bmc> bmc = bmcs.of(name);
        if (bmc.isEmpty()) {
            out.put("bmc", null);
            out.put("power", null);
            out.put("checkedAt", null);
            return Responses.json(response, callback, 200, out);
        }
        Instant now = clock.instant();
        // one reading per machine at a time; a failed or old one is replaced by a new one
        Reading r = cache.compute(name, (k, old) -> old != null && Duration.between(old.at(), now).compareTo(CACHE) < 0
                && !old.on().isCompletedExceptionally() ? old : read(bmc.get(), now));
        try {
            boolean on = r.on().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            out.put("bmc", bmc.get().describe());
            out.put("power", on ? "on" : "off");
            out.put("checkedAt", r.at().toString()); // RFC 3339, UTC
            return Responses.json(response, callback, 200, out);
        } catch (TimeoutException e) {
            return Responses.error(request, response, callback, 504, "BMC " + bmc.get().describe() + " did not answer within " + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Responses.error(request, response, callback, 502, "BMC " + bmc.get().describe() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Responses.error(request, response, callback, 503, "interrupted");
        }
    }

    private static Reading read(MachineBmcs.Bmc bmc, Instant at) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        // the BMC client bounds its own tries; the caller waits at most WAIT for this thread
        Thread.ofVirtual().name("yoo-bmc-power").start(() -> {
            try {
                f.complete(bmc.powerOn());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return new Reading(at, f);
    }
}
