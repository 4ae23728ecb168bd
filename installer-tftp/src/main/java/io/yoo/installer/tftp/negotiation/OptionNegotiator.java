package io.yoo.installer.tftp.negotiation;

import io.yoo.installer.tftp.codec.TftpCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pure RFC 2347/2348/2349/7440 negotiation: what the client asked for, clamped to what the
 * server allows. Options we do not know, or with values we cannot parse, are left out of the
 * OACK (RFC 2347 lets the server ignore them) rather than failing the transfer, because firmware
 * in the field sends odd values and a plain 512-byte transfer still boots it.
 *
 * @param maxBlockSize  upper clamp for blksize (an MTU-safe 1468 by default: 1500 - IP - UDP - TFTP)
 * @param maxWindowSize upper clamp for windowsize
 * @param defaultTimeoutMillis used when the client sends no timeout option
 */
public record OptionNegotiator(int maxBlockSize, int maxWindowSize, long defaultTimeoutMillis) {

    public static final int DEFAULT_BLOCK_SIZE = 512;

    public OptionNegotiator {
        if (maxBlockSize < TftpCodec.MIN_BLOCK_SIZE || maxBlockSize > TftpCodec.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("maxBlockSize " + maxBlockSize + " outside 8..65464 (RFC 2348)");
        }
        if (maxWindowSize < 1 || maxWindowSize > 65535) {
            throw new IllegalArgumentException("maxWindowSize " + maxWindowSize + " outside 1..65535 (RFC 7440)");
        }
        if (defaultTimeoutMillis < 1) {
            throw new IllegalArgumentException("defaultTimeoutMillis must be positive");
        }
    }

    /** @param fileSize size in bytes of what will be sent (for tsize), or -1 when unknown */
    public Negotiated negotiate(Map<String, String> requested, long fileSize) {
        int blockSize = DEFAULT_BLOCK_SIZE;
        int windowSize = 1;
        long timeout = defaultTimeoutMillis;
        Map<String, String> ack = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String name = e.getKey();
            long value = parse(e.getValue());
            switch (name) {
                case "blksize" -> {
                    if (value >= TftpCodec.MIN_BLOCK_SIZE) {
                        blockSize = (int) Math.min(value, maxBlockSize);
                        ack.put(name, Integer.toString(blockSize));
                    }
                }
                case "windowsize" -> {
                    if (value >= 1) {
                        windowSize = (int) Math.min(value, maxWindowSize);
                        ack.put(name, Integer.toString(windowSize));
                    }
                }
                case "timeout" -> {
                    // RFC 2349: 1-255 seconds; anything else is ignored, not refused. We echo the
                    // client's value but retransmit after at most our own timeout: curl asks for
                    // 6 s, and waiting that long per lost packet on a lossy link stalls a boot,
                    // while an early retransmission only costs the client a duplicate it drops.
                    if (value >= 1 && value <= 255) {
                        timeout = Math.min(value * 1000, defaultTimeoutMillis);
                        ack.put(name, Long.toString(value));
                    }
                }
                case "tsize" -> {
                    // RFC 2349: a reader sends 0 and gets the size back. Not for empty files:
                    // curl (7.88) rejects "tsize 0" in an OACK as invalid and aborts, while
                    // leaving tsize out is always legal and no firmware boots an empty file.
                    if (value >= 0 && fileSize > 0) {
                        ack.put(name, Long.toString(fileSize));
                    }
                }
                default -> {
                    // unknown option: not acknowledged
                }
            }
        }
        return new Negotiated(blockSize, windowSize, timeout, ack);
    }

    private static long parse(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
