package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scans BMC addresses concurrently (a virtual thread each, at most {@code concurrency} in
 * flight). One BMC's failure is its own report's status; the scan itself never fails.
 */
public final class BmcScanner {
    private final ScanOptions options;

    public BmcScanner(ScanOptions options) {
        this.options = options;
    }

    /** Reports in the order of {@code targets}. */
    public List<BmcReport> scan(List<Ipv4> targets, ScanListener listener) throws InterruptedException {
        Semaphore slots = new Semaphore(options.concurrency());
        AtomicInteger done = new AtomicInteger();
        List<Future<BmcReport>> futures = new ArrayList<>(targets.size());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Ipv4 t : targets) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        BmcReport r = scanWithinDeadline(t);
                        listener.finished(r, done.incrementAndGet(), targets.size());
                        return r;
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<BmcReport> out = new ArrayList<>(targets.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(BmcReport.failed(targets.get(i), options.protocols().getFirst(), ScanStatus.ERROR,
                            "internal error: " + e.getCause()));
                }
            }
            return out;
        }
    }

    /** Time a probe gets past the deadline to notice it and return what it has, before it is abandoned. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    /**
     * {@link #scanOne} on its own virtual thread: the probes stop asking at the deadline, and one
     * that is still stuck {@link #GRACE} later (a wait that did not notice) is interrupted and
     * abandoned with an ERROR report, so no BMC holds up the scan.
     */
    BmcReport scanWithinDeadline(Ipv4 target) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.deadline());
        BmcReport[] result = new BmcReport[1];
        Throwable[] failure = new Throwable[1];
        Thread probe = Thread.ofVirtual().name("bmc-" + target).start(() -> {
            try {
                result[0] = scanOne(target, deadline);
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        });
        if (!probe.join(options.deadline().plus(GRACE))) {
            probe.interrupt();
            return BmcReport.failed(target, options.protocols().getFirst(), ScanStatus.ERROR,
                    "no answer within the deadline of " + options.deadline().toSeconds() + " s for this BMC");
        }
        if (result[0] == null) {
            return BmcReport.failed(target, options.protocols().getFirst(), ScanStatus.ERROR, "internal error: " + failure[0]);
        }
        return result[0];
    }

    /** As {@link #scanOne(Ipv4, Instant)} with the configured deadline from now. */
    public BmcReport scanOne(Ipv4 target) {
        return scanOne(target, Instant.now().plus(options.deadline()));
    }

    /**
     * Asks the BMC over every configured protocol and merges what the ones that logged in said
     * (earlier protocols win for single facts; host MACs are the union); a protocol that failed
     * while another answered makes the report PARTIAL. If none answered, the most telling
     * failure is returned with every reason.
     */
    public BmcReport scanOne(Ipv4 target, Instant deadline) {
        List<BmcReport> reached = new ArrayList<>();
        List<BmcReport> failed = new ArrayList<>();
        for (BmcProtocol p : options.protocols()) {
            BmcReport r = p == BmcProtocol.IPMI ? IpmiProbe.probe(target, options, deadline) : RedfishProbe.probe(target, options, deadline);
            (r.reachedBmc() ? reached : failed).add(r);
        }
        if (reached.isEmpty()) {
            BmcReport first = failed.stream().min(Comparator.comparingInt(r -> rank(r.status()))).orElseThrow();
            List<String> reasons = failed.stream().flatMap(r -> r.problems().stream()).toList();
            return new BmcReport(first.address(), first.status(), first.protocol(), first.bmcIp(), first.bmcMac(), first.guidHex(),
                    first.uuid(), first.serial(), first.product(), first.manufacturer(), first.powerOn(), first.hostMacs(), reasons);
        }
        return merge(reached, failed);
    }

    static BmcReport merge(List<BmcReport> reached, List<BmcReport> failed) {
        BmcReport m = reached.getFirst();
        List<String> problems = new ArrayList<>(m.problems());
        LinkedHashSet<MacAddress> macs = new LinkedHashSet<>(m.hostMacs());
        for (BmcReport r : reached.subList(1, reached.size())) {
            if (m.uuid().isPresent() && r.uuid().isPresent() && !m.uuid().equals(r.uuid())) {
                problems.add(m.protocol().key() + " and " + r.protocol().key() + " disagree on the system UUID: " + m.uuid().get()
                        + " vs " + r.uuid().get());
            }
            m = new BmcReport(m.address(), m.status(), m.protocol(), m.bmcIp().or(r::bmcIp), m.bmcMac().or(r::bmcMac),
                    m.guidHex().or(r::guidHex), m.uuid().or(r::uuid), m.serial().or(r::serial), m.product().or(r::product),
                    m.manufacturer().or(r::manufacturer), m.powerOn().or(r::powerOn), List.of(), List.of());
            macs.addAll(r.hostMacs());
            problems.addAll(r.problems());
        }
        failed.forEach(f -> problems.addAll(f.problems()));
        return new BmcReport(m.address(), problems.isEmpty() ? ScanStatus.OK : ScanStatus.PARTIAL, m.protocol(), m.bmcIp(), m.bmcMac(),
                m.guidHex(), m.uuid(), m.serial(), m.product(), m.manufacturer(), m.powerOn(), new ArrayList<>(macs), problems);
    }

    /** Most telling failure first: a refused login says more than silence. */
    private static int rank(ScanStatus s) {
        return switch (s) {
            case AUTH_FAILED -> 0;
            case ERROR -> 1;
            case UNREACHABLE -> 2;
            default -> 3;
        };
    }
}
