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

    private final int reboots;

    /** {@code reboots}: how often a machine whose step failed starts again from PXE, as firmware does when its boot fails. */
    StormRun(MachinePlayer player, int concurrency, int reboots) {
        this.player = player;
        this.concurrency = concurrency;
        this.reboots = reboots;
    }

    StormReport run(List<MacAddress> macs) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        LongAdder retries = new LongAdder();
        LongAdder rebooted = new LongAdder();
        LongAdder fromDisk = new LongAdder();
        LongAdder machineNanos = new LongAdder();
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[macs.size()];
        for (int i = 0; i < macs.size(); i++) {
            MacAddress mac = macs.get(i);
            slots.acquire();
            threads[i] = Thread.ofVirtual().start(() -> {
                long s = System.nanoTime();
                MachinePlayer.Boots boots = new MachinePlayer.Boots();
                try {
                    for (int boot = 0; ; boot++) {
                        try {
                            player.play(mac, boots);
                            ok.incrementAndGet();
                            if (boots.fromDisk) {
                                fromDisk.increment();
                            }
                            break;
                        } catch (Exception e) {
                            if (boot >= reboots || e instanceof InterruptedException) {
                                failures.add(mac + ": " + e.getMessage());
                                break;
                            }
                            rebooted.increment();
                        }
                    }
                } finally {
                    retries.add(boots.dhcpRetries);
                    machineNanos.add(System.nanoTime() - s);
                    slots.release();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        StormReport report = new StormReport(macs.size(), ok.get(), List.copyOf(failures), wall, machineNanos.sum(), retries.sum());
        report.reboots = rebooted.sum();
        report.fromDisk = fromDisk.sum();
        return report;
    }
}
