package io.yoo.installer.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.Transition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Yoo's metrics on Micrometer, scraped as Prometheus text at {@code /metrics}. One instance per
 * process: give it to the DHCP and TFTP servers as their {@link ServerMetrics} too.
 *
 * <pre>
 * yoo_requests_total{protocol,outcome}     DHCP/TFTP/HTTP requests by outcome
 * yoo_http_requests_total{route,status}    HTTP requests by route (boot, assets, api, ui...) and status class
 * yoo_bytes_served_total{protocol}         payload bytes sent
 * yoo_http_sendfile_bytes_total            of the HTTP ones, bytes the kernel sent straight from files (sendfile)
 * yoo_machines{state}                      machines per provisioning state
 * yoo_install_duration_seconds             first sign of an attempt → "installed" (histogram)
 * </pre>
 */
public final class HttpMetrics implements ServerMetrics {
    /** HTTP routes, fixed so label values stay bounded. */
    public enum Route { BOOT, ASSETS, EVENTS, API, UI, HEALTH, METRICS, OTHER }

    private static final String[] STATUS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Counter[][] http = new Counter[Route.values().length][STATUS.length];
    private final Counter[] httpOutcome = new Counter[STATUS.length];
    private final Counter httpBytes;
    private final Timer installDuration;
    private final AtomicReference<StateStore> store = new AtomicReference<>();
    private final AtomicReference<LongSupplier> sendfileBytes = new AtomicReference<>(() -> 0);

    public HttpMetrics() {
        for (Route r : Route.values()) {
            for (int s = 0; s < STATUS.length; s++) {
                http[r.ordinal()][s] = Counter.builder("yoo.http.requests").tag("route", r.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("status", STATUS[s]).description("HTTP requests by route and status class").register(registry);
            }
        }
        for (int s = 0; s < STATUS.length; s++) {
            httpOutcome[s] = requestCounter("http", STATUS[s]);
            requests.put("http\0" + STATUS[s], httpOutcome[s]);
        }
        httpBytes = bytesCounter("http");
        installDuration = Timer.builder("yoo.install.duration").description("From the first sign of an install attempt to 'installed'")
                .serviceLevelObjectives(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
                        Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(60), Duration.ofMinutes(120))
                .register(registry);
        FunctionCounter.builder("yoo.http.sendfile", sendfileBytes, s -> s.get().getAsLong()).baseUnit("bytes")
                .description("HTTP body bytes sent with sendfile, without a copy through the server").register(registry);
        for (MachineState st : MachineState.values()) {
            Gauge.builder("yoo.machines", () -> count(st)).tag("state", st.key()).description("Machines per provisioning state")
                    .register(registry);
        }
    }

    /**
     * {@code yoo_dhcp_foreign_servers{server=ADDRESS}} = 1 for each other DHCP server the last probe
     * found (at most {@link ForeignDhcpServers#MAX_TRACKED}; more appear as {@code server="other"}
     * with their count), and {@code yoo_dhcp_foreign_server_count}, always present.
     */
    public void bindForeignDhcp(ForeignDhcpServers foreign) {
        MultiGauge perServer = MultiGauge.builder("yoo.dhcp.foreign.servers")
                .description("Other DHCP servers answering on the install network (last probe)").register(registry);
        Gauge.builder("yoo.dhcp.foreign.server.count", foreign, f -> f.current().total())
                .description("How many other DHCP servers the last probe found").register(registry);
        foreign.addListener(seen -> {
            List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
            seen.servers().forEach(s -> rows.add(MultiGauge.Row.of(Tags.of("server", s.address()), 1)));
            if (seen.untracked() > 0) {
                rows.add(MultiGauge.Row.of(Tags.of("server", "other"), seen.untracked()));
            }
            perServer.register(rows, true);
        });
    }

    /** Machines-by-state gauges read this store; install durations come from its transitions. */
    public void bind(StateStore stateStore) {
        if (store.compareAndSet(null, stateStore)) {
            stateStore.addListener(this::onTransition);
        }
    }

    /** The running HTTP server's count of bytes sent with sendfile (replaced when a server restarts). */
    public void bindSendfile(LongSupplier bytesSentFromFile) {
        sendfileBytes.set(bytesSentFromFile);
    }

    private void onTransition(Transition t) {
        if (t.stateChanged() && t.after().state() == MachineState.INSTALLED) {
            t.after().installDuration().ifPresent(installDuration::record);
        }
    }

    private double count(MachineState st) {
        StateStore s = store.get();
        if (s == null || !s.isRunning()) {
            return 0;
        }
        return s.countByState().getOrDefault(st, 0L);
    }

    @Override
    public void request(String protocol, String outcome) {
        requests.computeIfAbsent(protocol + '\0' + outcome, k -> requestCounter(protocol, outcome)).increment();
    }

    @Override
    public void bytesServed(String protocol, long n) {
        if (n > 0) {
            bytes.computeIfAbsent(protocol, this::bytesCounter).increment(n);
        }
    }

    /** Per-request HTTP accounting without map lookups (the asset path is hot). */
    public void http(Route route, int status, long bytesWritten) {
        int s = Math.min(Math.max(status / 100 - 1, 0), STATUS.length - 1);
        http[route.ordinal()][s].increment();
        httpOutcome[s].increment();
        if (bytesWritten > 0) {
            httpBytes.increment(bytesWritten);
        }
    }

    private Counter requestCounter(String protocol, String outcome) {
        Counter c = Counter.builder("yoo.requests").tag("protocol", protocol).tag("outcome", outcome)
                .description("Requests handled by protocol and outcome").register(registry);
        return c;
    }

    private Counter bytesCounter(String protocol) {
        return Counter.builder("yoo.bytes.served").tag("protocol", protocol).baseUnit("bytes")
                .description("Payload bytes sent to clients").register(registry);
    }

    /** Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
