package io.yoo.installer.tftp.server;

import io.yoo.installer.api.metrics.ServerMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the server did and dropped; read with {@link #snapshot()}. The server counts
 * through the methods below; the request outcomes and the payload bytes sent are also reported to
 * the {@link ServerMetrics} given with {@link TftpServer#withMetrics} (exported as
 * {@code yoo_requests_total{protocol="tftp",outcome}} and {@code yoo_served_bytes_total{protocol="tftp"}}).
 * That is the only way TFTP counts reach {@code /metrics}.
 */
public final class TftpStats {
    static final String PROTOCOL = "tftp";

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

    private volatile ServerMetrics metrics = ServerMetrics.NOOP;

    void reportTo(ServerMetrics m) {
        metrics = m == null ? ServerMetrics.NOOP : m;
    }

    /** Every read request; not exported (the outcomes break it down). */
    void request() {
        requests.increment();
    }

    void completed() {
        count(completed, "completed");
    }

    void timedOut() {
        count(timedOut, "timed_out");
    }

    void clientAbort() {
        count(clientAborts, "client_abort");
    }

    /** Too many transfers in progress. */
    void refusedBusy() {
        count(refusedBusy, "refused");
    }

    /** A path outside the root. */
    void refusedPath() {
        count(refusedPath, "refused");
    }

    /** A write request: this server only reads. */
    void refusedWrite() {
        count(refusedWrite, "refused");
    }

    void notFound() {
        count(notFound, "not_found");
    }

    void malformed() {
        count(malformed, "malformed");
    }

    /** An RRQ resent before our first answer arrived (the answer is on its way). */
    void duplicateRequest() {
        count(duplicateRequests, "duplicate");
    }

    void duplicateAck() {
        duplicateAcks.increment();
    }

    void retransmit() {
        retransmits.increment();
    }

    void blockSent(long payloadBytes) {
        blocksSent.increment();
        metrics.bytesServed(PROTOCOL, payloadBytes);
    }

    private void count(LongAdder counter, String outcome) {
        counter.increment();
        metrics.request(PROTOCOL, outcome);
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), completed.sum(), timedOut.sum(), clientAborts.sum(), refusedBusy.sum(),
                refusedPath.sum(), notFound.sum(), refusedWrite.sum(), malformed.sum(), duplicateRequests.sum(),
                duplicateAcks.sum(), retransmits.sum(), blocksSent.sum());
    }

    public record Snapshot(long requests, long completed, long timedOut, long clientAborts, long refusedBusy,
            long refusedPath, long notFound, long refusedWrite, long malformed, long duplicateRequests,
            long duplicateAcks, long retransmits, long blocksSent) {}
}
