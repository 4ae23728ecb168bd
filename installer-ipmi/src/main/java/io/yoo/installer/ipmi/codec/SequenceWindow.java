package io.yoo.installer.ipmi.codec;

/**
 * Inbound session sequence check (IPMI 2.0 section 6.12.13): accept numbers ahead of the highest
 * seen and numbers up to 15 behind it that were not seen yet; drop replays and stale packets.
 */
public final class SequenceWindow {
    private static final int WINDOW = 16;
    private long highest = -1;
    private int seen; // bit i = highest - i was seen

    /** Returns true (and records it) if {@code sequence} is acceptable. */
    public boolean accept(int sequence) {
        long s = Integer.toUnsignedLong(sequence);
        if (s == 0) {
            return false;
        }
        if (highest < 0 || s > highest) {
            long shift = highest < 0 ? WINDOW : s - highest;
            seen = shift >= WINDOW ? 0 : seen << shift;
            seen |= 1;
            highest = s;
            return true;
        }
        long behind = highest - s;
        if (behind >= WINDOW || (seen & (1 << behind)) != 0) {
            return false;
        }
        seen |= 1 << behind;
        return true;
    }
}
