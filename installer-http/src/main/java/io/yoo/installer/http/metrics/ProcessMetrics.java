package io.yoo.installer.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.StoreStatus;
import io.yoo.installer.core.state.Transition;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The process's one metrics registry (Micrometer), scraped as Prometheus text at {@code /metrics}.
 * One instance per process: {@code yoo serve} hands it to the DHCP and TFTP servers as their
 * {@link ServerMetrics} (the only way their counts get here), the HTTP server counts into it
 * directly. Every meter has a description (the HELP line; {@code promtool check metrics} passes).
 *
 * <pre>
 * yoo_requests_total{protocol,outcome}   counter  DHCP messages and TFTP requests by outcome (through ServerMetrics)
 * yoo_http_requests_total{route,status}  counter  HTTP requests by route (boot, assets, api, ui...) and status class
 * yoo_served_bytes_total{protocol}       counter  payload bytes sent (tftp, http)
 * yoo_http_sendfile_bytes_total          counter  of the HTTP ones, bytes the kernel sent straight from files (sendfile)
 * yoo_machines{state}                    gauge    machines per provisioning state, as /api/v1/machines counts them
 * yoo_install_duration_seconds           histogram first sign of an attempt → "installed" (+ _max gauge)
 * yoo_dhcp_foreign_servers{server}       gauge    1 per other DHCP server the last probe found
 * yoo_dhcp_foreign_servers_found         gauge    how many the last probe found (always present)
 * yoo_build_info{version,commit}         gauge    always 1
 * yoo_store_up                           gauge    1 while the state database takes writes, 0 while it is unreachable
 * yoo_store_queued_writes                gauge    writes in the local spool, waiting for the database
 * yoo_store_queue_oldest_seconds         gauge    how long the oldest of them has waited (0 with none)
 * yoo_store_dropped_writes_total         counter  writes refused because the spool was full (or damaged at start), or not spooled (audit, install logs) while the database was down
 * jvm_*, process_*, system_*             Micrometer's JVM and process binders (process_cpu_seconds_total and
 *                                                 system_cpus renamed from theirs to Prometheus conventions)
 * </pre>
 */
public final class ProcessMetrics implements ServerMetrics {
    /** HTTP routes, fixed so label values stay bounded. */
    public enum Route { BOOT, ASSETS, EVENTS, API, UI, HEALTH, METRICS, OTHER }

    private static final String UNKNOWN = "unknown";
    private static final String[] STATUS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Counter[][] http = new Counter[Route.values().length][STATUS.length];
    private final Counter httpBytes;
    private final Timer installDuration;
    private final AtomicReference<StateStore> store = new AtomicReference<>();
    private final AtomicReference<LongSupplier> sendfileBytes = new AtomicReference<>(() -> 0);
    private final MultiGauge buildInfo;
    private final AtomicReference<Supplier<Map<String, Long>>> machineCounts = new AtomicReference<>(Map::of);
    private final AtomicReference<Map<String, Long>> machinesNow = new AtomicReference<>(Map.of());

    public ProcessMetrics() {
        // ProcessorMetrics' process_cpu_time_ns_total breaks Prometheus naming (abbreviated unit, not base
        // seconds; promtool flags it): export the conventional process_cpu_seconds_total instead
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        // and its system_cpu_count is a gauge with a histogram's suffix (promtool: no "_count" on gauges)
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        for (Route r : Route.values()) {
            for (int s = 0; s < STATUS.length; s++) {
                http[r.ordinal()][s] = Counter.builder("yoo.http.requests").tag("route", r.name().toLowerCase(Locale.ROOT))
                        .tag("status", STATUS[s]).description("HTTP requests by route and status class").register(registry);
            }
        }
        httpBytes = bytesCounter("http");
        installDuration = Timer.builder("yoo.install.duration").description("From the first sign of an install attempt to 'installed'")
                .serviceLevelObjectives(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
                        Duration.ofMinutes(20), Duration.ofMinutes(30), Duration.ofMinutes(45), Duration.ofMinutes(60), Duration.ofMinutes(120))
                .register(registry);
        FunctionCounter.builder("yoo.http.sendfile", sendfileBytes, s -> s.get().getAsLong()).baseUnit("bytes")
                .description("HTTP body bytes sent with sendfile, without a copy through the server").register(registry);
        for (MachineState st : MachineState.values()) {
            Gauge.builder("yoo.machines", () -> machinesNow.get().getOrDefault(st.key(), 0L)).tag("state", st.key())
                    .description("Machines per provisioning state, as /api/v1/summary counts them").register(registry);
        }
        Gauge.builder("yoo.store.up", () -> storeStatus().up() ? 1 : 0)
                .description("1 while the state database takes writes, 0 while it is unreachable (writes are queued)").register(registry);
        Gauge.builder("yoo.store.queued.writes", () -> storeStatus().queued())
                .description("Writes kept in the local spool while the state database is unreachable").register(registry);
        Gauge.builder("yoo.store.queue.oldest", () -> storeStatus().oldestSeconds(Instant.now())).baseUnit("seconds")
                .description("How long the oldest queued write has waited for the state database (0 with none)").register(registry);
        FunctionCounter.builder("yoo.store.dropped.writes", this, m -> m.storeStatus().dropped())
                .description("Writes refused while the state database was unreachable: the spool full, or not spooled (audit, install logs)").register(registry);
        buildInfo = MultiGauge.builder("yoo.build.info").description("Always 1; the labels say which build of yoo runs")
                .register(registry);
        buildInfo(UNKNOWN, UNKNOWN);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // lives as long as the process: never closed
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the yoo process used").register(registry);
        }
    }

    /**
     * {@code yoo_build_info{version,commit} 1}. The caller knows its build (the CLI reads its jar's
     * manifest); until it says, both labels are {@value #UNKNOWN}.
     */
    public void buildInfo(String version, String commit) {
        buildInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", label(version), "commit", label(commit)), 1)), true);
    }

    private static String label(String v) {
        return v == null || v.isBlank() ? UNKNOWN : v;
    }

    /**
     * {@code yoo_dhcp_foreign_servers{server=ADDRESS}} = 1 for each other DHCP server the last probe
     * found (at most {@link ForeignDhcpServers#MAX_TRACKED}; more appear as {@code server="other"}
     * with their count), and {@code yoo_dhcp_foreign_servers_found}, their number, always present.
     */
    public void bindForeignDhcp(ForeignDhcpServers foreign) {
        MultiGauge perServer = MultiGauge.builder("yoo.dhcp.foreign.servers")
                .description("Other DHCP servers answering on the install network (last probe)").register(registry);
        Gauge.builder("yoo.dhcp.foreign.servers.found", foreign, f -> f.current().total())
                .description("How many other DHCP servers the last probe found").register(registry);
        foreign.addListener(seen -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            seen.servers().forEach(s -> rows.add(MultiGauge.Row.of(Tags.of("server", s.address()), 1)));
            if (seen.untracked() > 0) {
                rows.add(MultiGauge.Row.of(Tags.of("server", "other"), seen.untracked()));
            }
            perServer.register(rows, true);
        });
    }

    /**
     * {@code yoo_service_address_held}: 1 while this server has {@code network.serviceAddress} on
     * its interface, else 0 (only with a service address).
     */
    public void bindServiceAddress(BooleanSupplier held) {
        Gauge.builder("yoo.service.address.held", held, h -> h.getAsBoolean() ? 1 : 0)
                .description("1 while this server holds network.serviceAddress, else 0").register(registry);
    }

    private StoreStatus storeStatus() {
        StateStore s = store.get();
        return s == null ? StoreStatus.UP : s.status();
    }

    /** Install durations come from this store's transitions; its status gives the yoo_store_* gauges. */
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

    /**
     * Where {@code yoo_machines} comes from: the API's own counts (descriptor machines never seen
     * are "unknown" there too), so the metric and {@code /api/v1/machines} agree.
     */
    public void bindMachineCounts(Supplier<Map<String, Long>> byStateKey) {
        machineCounts.set(byStateKey);
    }

    /** Counts read once per scrape, not once per state gauge (each read lists every machine). */
    private Map<String, Long> machineCountsNow() {
        StateStore s = store.get();
        if (s != null && !s.isRunning()) {
            return Map.of();
        }
        try {
            return machineCounts.get().get();
        } catch (RuntimeException e) { // the store went away mid-scrape: the readiness probe says so, not this
            return Map.of();
        }
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
        if (bytesWritten > 0) {
            httpBytes.increment(bytesWritten);
        }
    }

    private Counter requestCounter(String protocol, String outcome) {
        return Counter.builder("yoo.requests").tag("protocol", protocol).tag("outcome", outcome)
                .description("DHCP messages and TFTP requests by what the server did with them (HTTP: yoo_http_requests_total)")
                .register(registry);
    }

    private Counter bytesCounter(String protocol) {
        return Counter.builder("yoo.served").tag("protocol", protocol).baseUnit("bytes")
                .description("Payload bytes sent to clients").register(registry);
    }

    /** Prometheus text exposition format. */
    public synchronized String scrape() {
        machinesNow.set(machineCountsNow());
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
