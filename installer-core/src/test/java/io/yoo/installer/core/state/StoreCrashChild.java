package io.yoo.installer.core.state;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** Child process of the kill -9 test: writes events forever from several threads, printing acks. */
public final class StoreCrashChild {
    static final int MACHINES = 8;

    public static void main(String[] args) throws Exception {
        JdbcStateStore store = new JdbcStateStore(JdbcConfig.h2File(Path.of(args[0])));
        store.start();
        AtomicLong acks = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(MACHINES);
        for (int m = 0; m < MACHINES; m++) {
            String name = "c" + m;
            pool.submit(() -> {
                for (long i = 0; ; i++) {
                    store.record(ProgressEvent.callback(name, "step-" + i, EventStatus.STARTED, null, Instant.now()));
                    long n = acks.incrementAndGet();
                    synchronized (System.out) {
                        System.out.println("ack " + n);
                        System.out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
