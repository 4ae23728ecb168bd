package io.yoo.installer.tftp.negotiation;

import java.util.Map;

/**
 * The outcome of RFC 2347 negotiation for one read request.
 *
 * @param blockSize      bytes per DATA block (512 unless blksize was accepted)
 * @param windowSize     blocks sent before waiting for an ACK (1 = RFC 1350 lock-step)
 * @param timeoutMillis  retransmission timeout: min(client's timeout option, server default)
 * @param acknowledged   options to echo in the OACK, in the client's order; empty = no OACK,
 *                       data starts at once with block 1
 */
public record Negotiated(int blockSize, int windowSize, long timeoutMillis, Map<String, String> acknowledged) {

    public boolean needsOack() {
        return !acknowledged.isEmpty();
    }
}
