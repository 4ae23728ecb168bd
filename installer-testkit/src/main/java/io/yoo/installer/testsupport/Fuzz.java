package io.yoo.installer.testsupport;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Fuzz/property tests as plain JUnit loops over a seeded {@link SplittableRandom}, with the same
 * knobs in every module:
 * <ul>
 * <li>{@code -Dyoo.fuzz.tries=N}: cases per property (each test passes its short default, kept to
 * a few seconds so CI stays fast; e.g. 1000000 for a long run);</li>
 * <li>{@code -Dyoo.fuzz.seed=S}: the first case's seed (default fixed, so CI is reproducible).</li>
 * </ul>
 * Case {@code i} draws from its own generator seeded {@code seed + i * GAMMA}, so a failure at
 * case 999 999 of a long run replays alone: the failure message names that case's seed and the
 * command ({@code -Dyoo.fuzz.seed=<case seed> -Dyoo.fuzz.tries=1}). No shrinking: the generators
 * keep inputs small instead.
 */
public final class Fuzz {
    public static final String TRIES = "yoo.fuzz.tries";
    public static final String SEED = "yoo.fuzz.seed";
    /** The default first seed (also DescriptorFuzzTest's historic one). */
    public static final long DEFAULT_SEED = 20261128L;
    /** Spreads case seeds apart (SplittableRandom's golden gamma). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** Byte values that sit on boundaries: length/flag fields break on these first. */
    private static final byte[] EDGE_BYTES = {0, 1, 2, 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
    private static final int[] EDGE_INTS = {0, 1, -1, 2, 127, 128, 255, 256, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE};

    private Fuzz() {}

    /** One property case; may throw anything (an exception or failed assertion fails the case). */
    @FunctionalInterface
    public interface Case {
        void run(SplittableRandom random) throws Throwable;
    }

    /** A property over generated values of one type. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T value) throws Throwable;
    }

    /** {@code -Dyoo.fuzz.tries} or the test's own default. */
    public static int tries(int defaultTries) {
        return Integer.getInteger(TRIES, defaultTries);
    }

    /** {@code -Dyoo.fuzz.seed} or {@link #DEFAULT_SEED}. */
    public static long seed() {
        return Long.getLong(SEED, DEFAULT_SEED);
    }

    /** The seed of case {@code index} in a run starting at {@code seed}. */
    public static long caseSeed(long seed, int index) {
        return seed + index * GAMMA;
    }

    /** Runs {@code property} {@link #tries(int)} times, each with a fresh seeded generator. */
    public static void forEach(int defaultTries, Case property) {
        long seed = seed();
        int tries = tries(defaultTries);
        for (int i = 0; i < tries; i++) {
            long caseSeed = caseSeed(seed, i);
            try {
                property.run(new SplittableRandom(caseSeed));
            } catch (Throwable t) {
                throw failure(i, tries, seed, caseSeed, null, t);
            }
        }
    }

    /** As {@link #forEach}, drawing the value with {@code generator} and naming it on failure. */
    public static <T> void forAll(int defaultTries, Function<SplittableRandom, T> generator, Property<T> property) {
        long seed = seed();
        int tries = tries(defaultTries);
        for (int i = 0; i < tries; i++) {
            long caseSeed = caseSeed(seed, i);
            T value = generator.apply(new SplittableRandom(caseSeed));
            try {
                property.check(value);
            } catch (Throwable t) {
                throw failure(i, tries, seed, caseSeed, describe(value), t);
            }
        }
    }

    private static AssertionError failure(int index, int tries, long seed, long caseSeed, String input, Throwable cause) {
        String message = "fuzz case " + index + " of " + tries + " failed (run seed " + seed + ", case seed " + caseSeed
                + "; replay just this case: -D" + SEED + "=" + caseSeed + " -D" + TRIES + "=1)"
                + (input == null ? "" : "\ninput: " + input) + "\n" + cause;
        return new AssertionError(message, cause);
    }

    /** byte[] as hex (what a packet capture shows), arrays element-wise, the rest by toString. */
    public static String describe(Object value) {
        if (value instanceof byte[] b) {
            return b.length + " bytes: " + HexFormat.of().formatHex(b);
        }
        if (value instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        return String.valueOf(value);
    }

    // ---- generators -------------------------------------------------------------------------

    /**
     * 0..max random bytes. The length favours the edges (empty, one byte, max) and small sizes,
     * and about one byte in eight is a boundary value (0x00, 0x7F, 0x80, 0xFF...).
     */
    public static byte[] bytes(SplittableRandom r, int max) {
        int len = switch (r.nextInt(16)) {
            case 0 -> 0;
            case 1 -> Math.min(1, max);
            case 2 -> max;
            case 3, 4, 5, 6 -> r.nextInt(Math.min(max, 16) + 1);
            default -> r.nextInt(max + 1);
        };
        byte[] b = new byte[len];
        r.nextBytes(b);
        for (int i = 0; i < len; i++) {
            if (r.nextInt(8) == 0) {
                b[i] = EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
            }
        }
        return b;
    }

    /** Any int, a boundary value (0, ±1, 255, 65536, MIN/MAX...) one time in four. */
    public static int anInt(SplittableRandom r) {
        return r.nextInt(4) == 0 ? EDGE_INTS[r.nextInt(EDGE_INTS.length)] : r.nextInt();
    }

    /** min..max characters drawn from {@code chars}. */
    public static String string(SplittableRandom r, String chars, int min, int max) {
        int len = r.nextInt(min, max + 1);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    /** One of the values, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /** One of the generators, uniformly. */
    public static <T> T oneOf(SplittableRandom r, List<Function<SplittableRandom, T>> generators) {
        return generators.get(r.nextInt(generators.size())).apply(r);
    }

    /**
     * A valid packet with 1..4 random edits: flip a bit, set a boundary byte, truncate, insert or
     * drop a byte. Reaches the checks behind the header that pure random bytes rarely pass.
     */
    public static byte[] mutate(SplittableRandom r, byte[] valid) {
        byte[] b = valid.clone();
        for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
            int op = r.nextInt(5);
            if (b.length == 0) {
                op = 3;
            }
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (op) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                default -> {
                    byte[] n = new byte[b.length - 1];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                    b = n;
                }
            }
        }
        return b;
    }
}
