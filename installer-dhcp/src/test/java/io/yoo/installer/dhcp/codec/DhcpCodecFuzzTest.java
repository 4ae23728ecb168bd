package io.yoo.installer.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the decoder: real captured packets mutated (bit flips, byte stores, truncation,
 * extension, option-length lies, overload values) plus pure noise. The properties: nothing but
 * {@link MalformedPacketException} ever escapes (also from every typed accessor), and a decode
 * allocates at most the packet's size plus a fixed 8 KiB (never what a length field claims).
 *
 * <p>Plain JUnit driven by seeded {@link Random}s (no property-testing library): 1000 rounds,
 * each decoding {@code yoo.fuzz.tries / 1000} inputs from its own seed: 20,000 inputs by default,
 * {@code -Dyoo.fuzz.tries=1000000} for the nightly-size run. A failure names its round seed;
 * {@code -Dyoo.fuzz.seed=N} replays the run that produced it.
 */
class DhcpCodecFuzzTest {
    private static final int PER_TRY = Math.max(1, Integer.getInteger("yoo.fuzz.tries", 20_000) / 1000);
    private static final List<byte[]> SEEDS = CapturedPackets.ALL.stream().map(CapturedPackets::load).toList();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong DECODED = new AtomicLong();

    @Test
    void decodingNeverThrowsAnythingButMalformedAndAllocatesAboutThePacketSize() {
        long base = Long.getLong("yoo.fuzz.seed", 20261128L); // fixed by default: CI runs the same cases every time
        Random seeds = new Random(base);
        for (int round = 0; round < 1000; round++) {
            long seed = seeds.nextLong();
            try {
                fuzzRound(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fuzz round " + round + " (seed " + seed + ") failed; replay with -Dyoo.fuzz.seed=" + base, e);
            }
        }
        System.out.println("codec fuzz (seed " + base + "): " + INPUTS.get() + " inputs, " + DECODED.get()
                + " decoded, the rest rejected as malformed");
        // a fuzzer that never gets past the first checks would prove little
        assertThat(DECODED.get()).isGreaterThan(INPUTS.get() / 10);
    }

    private void fuzzRound(long seed) {
        Random r = new Random(seed);
        for (int k = 0; k < PER_TRY; k++) {
            byte[] input = mutate(r);
            long allocated = allocationOfDecode(input);
            if (allocated > input.length + 8192L) {
                // the first use of a code path loads classes / links call sites on this thread: measure again
                allocated = allocationOfDecode(input);
            }
            DhcpPacket p = null;
            try {
                p = DhcpCodec.decode(input, 0, input.length);
            } catch (MalformedPacketException expected) {
                // dropped and counted by the server
            }
            assertThat(allocated).as("bytes allocated decoding %d bytes", input.length)
                    .isLessThanOrEqualTo(input.length + 8192L);
            INPUTS.incrementAndGet();
            if (p != null) {
                DECODED.incrementAndGet();
                exerciseAccessors(p);
            }
        }
    }

    private static long allocationOfDecode(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            DhcpCodec.decode(input, 0, input.length);
        } catch (MalformedPacketException expected) {
            // fine
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void exerciseAccessors(DhcpPacket p) {
        DhcpOptions o = p.options();
        o.messageType();
        o.clientArch();
        o.userClass();
        o.clientUuid();
        o.clientNdi();
        o.linkSelection();
        o.encapsulated(DhcpOption.VENDOR_SPECIFIC);
        o.encapsulated(DhcpOption.IPXE_ENCAP);
        o.string(DhcpOption.VENDOR_CLASS);
        o.ips(DhcpOption.DNS);
        o.u32(DhcpOption.LEASE_TIME);
        p.mac();
        // anything decoded must encode again and decode to the same options
        try {
            DhcpPacket again = DhcpCodec.decode(DhcpCodec.encode(p));
            assertThat(again.options().toString()).isEqualTo(o.toString());
        } catch (MalformedPacketException e) {
            throw new AssertionError("re-encoding a decoded packet produced a malformed one: " + e.getMessage());
        }
    }

    private static byte[] mutate(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] noise = new byte[r.nextInt(1500)];
            r.nextBytes(noise);
            if (noise.length >= 240 && r.nextBoolean()) {
                noise[236] = 99;
                noise[237] = (byte) 130;
                noise[238] = 83;
                noise[239] = 99;
                noise[0] = 1;
                noise[2] = (byte) r.nextInt(17);
            }
            return noise;
        }
        byte[] seed = SEEDS.get(r.nextInt(SEEDS.size()));
        int len = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(seed.length + 1);
            case 1 -> seed.length + r.nextInt(600);
            default -> seed.length;
        };
        byte[] b = Arrays.copyOf(seed, len);
        for (int i = seed.length; i < len; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits && len > 0; e++) {
            int at = r.nextInt(len);
            switch (r.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b[at] = (byte) (r.nextBoolean() ? 255 : 0);
                default -> {
                    // plant an option 52 (overload) or a lying length in the options area
                    if (len > 243) {
                        int o = 240 + r.nextInt(len - 242);
                        b[o] = (byte) (r.nextBoolean() ? 52 : r.nextInt(256));
                        b[o + 1] = (byte) r.nextInt(256);
                        if (o + 2 < len) {
                            b[o + 2] = (byte) r.nextInt(5);
                        }
                    }
                }
            }
        }
        return b;
    }
}
