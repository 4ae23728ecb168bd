package io.yoo.installer.storm;

import io.yoo.installer.api.net.MacAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Plays all machines, at most {@code concurrency} at once, each in its own virtual thread. */
final class StormRun {
    private final MachinePlayer player;
    private final int concurrency;

    StormRun(MachinePlayer player, int concurrency) {
        this.player = player;
        this.concurrency = concurrency;
    }

    StormReport run(List<MacAddress> macs) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        LongAdder retries = new LongAdder();
        LongAdder machineNanos = new LongAdder();
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[macs.size()];
        for (int i = 0; i < macs.size(); i++) {
            MacAddress mac = macs.get(i);
            slots.acquire();
            threads[i] = Thread.ofVirtual().start(() -> {
                long s = System.nanoTime();
                try {
                    retries.add(player.play(mac));
                    ok.incrementAndGet();
                } catch (Exception e) {
                    failures.add(mac + ": " + e.getMessage());
                } finally {
                    machineNanos.add(System.nanoTime() - s);
                    slots.release();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        return new StormReport(macs.size(), ok.get(), List.copyOf(failures), wall, machineNanos.sum(), retries.sum());
    }
}
