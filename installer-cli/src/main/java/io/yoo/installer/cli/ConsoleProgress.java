package io.yoo.installer.cli;

import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.TransferMeter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress bars on stderr: on a terminal, one live line per running download (redrawn in place
 * with rate and ETA); otherwise (CI logs, pipes) one line per file when it finishes.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final PrintStream err;
    private final boolean live;
    private final Map<String, TransferMeter> running = new LinkedHashMap<>();
    private final ScheduledExecutorService ticker;
    private int drawnLines;

    ConsoleProgress(PrintStream err, boolean live) {
        this.err = err;
        this.live = live;
        this.ticker = live ? Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().unstarted(r)) : null;
        if (live) {
            ticker.scheduleAtFixedRate(this::redraw, 250, 250, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void started(String name, long total, long resumedFrom) {
        running.put(name, new TransferMeter(name, total, resumedFrom, System.nanoTime()));
        if (resumedFrom > 0 && !live) {
            err.println("resuming " + name + " at " + TransferMeter.bytes(resumedFrom));
        }
    }

    @Override
    public void advanced(String name, long bytes) {
        TransferMeter m;
        synchronized (this) {
            m = running.get(name);
        }
        if (m != null) {
            m.add(bytes);
        }
    }

    @Override
    public synchronized void finished(String name, boolean ok, String message) {
        TransferMeter m = running.remove(name);
        clear();
        String size = m != null ? "  " + TransferMeter.bytes(m.done()) : "";
        err.println((ok ? "  ok    " : "  FAIL  ") + name + size + (ok ? "" : "  " + message));
        draw();
    }

    private synchronized void redraw() {
        clear();
        draw();
    }

    private void clear() {
        if (live && drawnLines > 0) {
            err.print("\033[" + drawnLines + "A\033[J");
            drawnLines = 0;
        }
    }

    private void draw() {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        for (TransferMeter m : running.values()) {
            err.println(m.line(now, 24));
            drawnLines++;
        }
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        clear();
    }
}
