package io.yoo.installer.cli;

import io.yoo.installer.ipmi.scan.BmcReport;
import io.yoo.installer.ipmi.scan.ScanListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress bar on stderr, redrawn as BMCs finish: {@code [#####.....] 120/250 ok 100 failed 20}. */
final class ScanProgress implements ScanListener {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    ScanProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void finished(BmcReport report, int done, int total) {
        (report.reachedBmc() ? ok : failed).incrementAndGet();
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + "  answered " + ok.get()
                + "  failed " + failed.get() + (done == total ? "\n" : ""));
        err.flush();
    }
}
