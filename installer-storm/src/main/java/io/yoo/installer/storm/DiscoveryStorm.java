package io.yoo.installer.storm;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery storm: N machines in no descriptor report their inventory to
 * {@code POST /api/v1/discovered} at once, each with the enrollment token the server would have put
 * in its discovery config (issued here from the server's token secret: the same HMAC, so the
 * server checks it exactly as a real machine's). Every machine has its own MAC, SMBIOS UUID and
 * serial (no two claim the same, so none is held), two disks and two NICs, about 1 KiB of JSON as
 * the discovery script sends. All requests wait on one start gate, then go (at most
 * {@code concurrency} in flight); the time is from the gate to the last answer. Afterwards the
 * admin listing ({@code GET /api/v1/discovered}) must hold every MAC.
 */
final class DiscoveryStorm {
    private static final Pattern LISTED_MAC = Pattern.compile("\"mac\"\\s*:\\s*\"(52:54:01:[0-9a-f:]{8})\"");

    private final URI base;
    private final EnrollmentTokens tokens;
    private final String adminToken;
    private final int concurrency;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build();

    DiscoveryStorm(URI base, EnrollmentTokens tokens, String adminToken, int concurrency) {
        this.base = base;
        this.tokens = tokens;
        this.adminToken = adminToken;
        this.concurrency = concurrency;
    }

    /** What one storm did. */
    record Result(int machines, double wallSeconds, int accepted, Map<String, Integer> others, long p50Millis, long p99Millis, long maxMillis,
            int listed, double listSeconds) {}

    static MacAddress mac(int i) {
        return MacAddress.parse(String.format(Locale.ROOT, "52:54:01:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff));
    }

    static String inventory(int i) {
        String mac = mac(i).toString();
        String second = String.format(Locale.ROOT, "52:54:02:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
        return """
                {"bootMac": "%s",
                 "system": {"vendor": "Storm Computers", "product": "SC-1000", "serial": "STORM-%06d", "uuid": "5d0c0000-0000-4000-8000-%012x"},
                 "cpu": {"model": "Storm CPU @ 2.4GHz", "count": 32}, "memoryBytes": 274877906944,
                 "disks": [{"name": "sda", "sizeBytes": 480103981056, "model": "STORM SSD 480", "rotational": false,
                            "byId": "/dev/disk/by-id/ata-STORM_SSD_480_%06d"},
                           {"name": "sdb", "sizeBytes": 4000787030016, "model": "STORM HDD 4T", "rotational": true,
                            "byId": "/dev/disk/by-id/ata-STORM_HDD_4T_%06d"}],
                 "nics": [{"name": "eno1", "mac": "%s", "driver": "ixgbe", "link": "up", "speedMbps": 10000,
                           "lldp": {"chassis": "leaf-%02d", "system": "leaf-%02d.storm", "port": "Ethernet%d"}},
                          {"name": "eno2", "mac": "%s", "driver": "ixgbe", "link": "down"}],
                 "bmc": {"address": "10.80.%d.%d"}}
                """.formatted(mac, i, i, i, i, mac, i / 48, i / 48, i % 48 + 1, second, (i >> 8) & 0xff, i & 0xff);
    }

    Result run(int machines) throws Exception {
        long[] latencies = new long[machines];
        AtomicLong accepted = new AtomicLong();
        Map<String, Integer> others = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(machines);
        CountDownLatch gate = new CountDownLatch(1);
        Semaphore inFlight = new Semaphore(concurrency);
        List<HttpRequest> requests = new ArrayList<>(machines);
        for (int i = 0; i < machines; i++) {
            requests.add(HttpRequest.newBuilder(base.resolve("/api/v1/discovered")).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + tokens.issue(mac(i))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(inventory(i), StandardCharsets.UTF_8)).build());
        }
        long start;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < machines; i++) {
                int n = i;
                pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    inFlight.acquire();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(requests.get(n), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            others.merge("HTTP " + r.statusCode(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        others.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    } finally {
                        latencies[n] = System.nanoTime() - t0;
                        inFlight.release();
                    }
                    return null;
                });
            }
            ready.await();
            start = System.nanoTime();
            gate.countDown();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long t0 = System.nanoTime();
        int listed = listed();
        double listSeconds = (System.nanoTime() - t0) / 1e9;
        return new Result(machines, wall, (int) accepted.get(), new TreeMap<>(others), millis(sorted, 0.50), millis(sorted, 0.99),
                sorted[sorted.length - 1] / 1_000_000, listed, listSeconds);
    }

    /** How many of the storm's MACs the admin listing holds. */
    private int listed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/discovered")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/discovered: HTTP " + r.statusCode() + ": " + r.body());
        }
        Set<String> macs = new HashSet<>();
        Matcher m = LISTED_MAC.matcher(r.body());
        while (m.find()) {
            macs.add(m.group(1));
        }
        return macs.size();
    }

    private static long millis(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1_000_000;
    }
}
