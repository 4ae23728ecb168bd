package io.yoo.installer.ipmi.scan;

import io.yoo.installer.core.net.Ipv4;
import java.util.ArrayList;
import java.util.List;
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
                        BmcReport r = scanOne(t);
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
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(BmcReport.failed(targets.get(i), options.protocols().getFirst(), ScanStatus.ERROR,
                            "internal error: " + e.getCause()));
                }
            }
            return out;
        }
    }

    /** Tries each protocol in order; the first that reaches the BMC answers, else the first failure's report with all reasons. */
    public BmcReport scanOne(Ipv4 target) {
        BmcReport first = null;
        List<String> reasons = new ArrayList<>();
        for (BmcProtocol p : options.protocols()) {
            BmcReport r = p == BmcProtocol.IPMI ? IpmiProbe.probe(target, options) : RedfishProbe.probe(target, options);
            if (r.reachedBmc()) {
                return r;
            }
            if (first == null || rank(r.status()) < rank(first.status())) {
                first = r;
            }
            reasons.addAll(r.problems());
        }
        return new BmcReport(first.address(), first.status(), first.protocol(), first.bmcIp(), first.bmcMac(), first.guidHex(),
                first.uuid(), first.serial(), first.product(), first.manufacturer(), first.powerOn(), first.hostMacs(), reasons);
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
