package io.yoo.installer.tftp.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the server did and dropped; read with {@link #snapshot()}. */
public final class TftpStats {
    final LongAdder requests = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder clientAborts = new LongAdder();
    final LongAdder refusedBusy = new LongAdder();
    final LongAdder refusedPath = new LongAdder();
    final LongAdder notFound = new LongAdder();
    final LongAdder refusedWrite = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder duplicateRequests = new LongAdder();
    final LongAdder duplicateAcks = new LongAdder();
    final LongAdder retransmits = new LongAdder();
    final LongAdder blocksSent = new LongAdder();

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), completed.sum(), timedOut.sum(), clientAborts.sum(), refusedBusy.sum(),
                refusedPath.sum(), notFound.sum(), refusedWrite.sum(), malformed.sum(), duplicateRequests.sum(),
                duplicateAcks.sum(), retransmits.sum(), blocksSent.sum());
    }

    public record Snapshot(long requests, long completed, long timedOut, long clientAborts, long refusedBusy,
            long refusedPath, long notFound, long refusedWrite, long malformed, long duplicateRequests,
            long duplicateAcks, long retransmits, long blocksSent) {}
}
