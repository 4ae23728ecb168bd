package io.yoo.installer.api.net;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A 48-bit Ethernet MAC address. Accepts {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-cc-dd-ee-ff}
 * and {@code aabb.ccdd.eeff}; prints lower-case colon form.
 */
public record MacAddress(long value) implements Comparable<MacAddress> {
    // compiled once: a descriptor of thousands of machines parses thousands of MACs
    private static final Pattern SEPARATED = Pattern.compile("([0-9a-f]{2}[:-]){5}[0-9a-f]{2}");
    private static final Pattern DOTTED = Pattern.compile("[0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4}");

    public MacAddress {
        if (value < 0 || value > 0xFFFF_FFFF_FFFFL) {
            throw new IllegalArgumentException("MAC out of range");
        }
    }

    public static MacAddress of(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses a MAC; throws {@link IllegalArgumentException} with a message fit for a user. */
    public static MacAddress parse(String text) {
        String hex = text.trim().toLowerCase(Locale.ROOT);
        String digits;
        if (SEPARATED.matcher(hex).matches()) {
            if (hex.indexOf(':') >= 0 && hex.indexOf('-') >= 0) {
                throw new IllegalArgumentException("bad MAC address '" + text + "': mixed separators");
            }
            digits = hex.replace(":", "").replace("-", "");
        } else if (DOTTED.matcher(hex).matches()) {
            digits = hex.replace(".", "");
        } else {
            throw new IllegalArgumentException(
                    "bad MAC address '" + text + "': expected six hex pairs like 52:54:00:12:34:56");
        }
        return new MacAddress(Long.parseLong(digits, 16));
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return b;
    }

    /** {@code 00:00:00:00:00:00}: what unprogrammed NICs and BMCs report; no NIC has it. */
    public boolean isZero() {
        return value == 0;
    }

    public boolean isBroadcast() {
        return value == 0xFFFF_FFFF_FFFFL;
    }

    /** Group bit set (broadcast included): a destination, never a NIC's own address. */
    public boolean isMulticast() {
        return ((value >>> 40) & 1) == 1;
    }

    /** Colon form, lower case: {@code 52:54:00:12:34:56}. */
    @Override
    public String toString() {
        return separated(':');
    }

    /** Dash form as PXELINUX names its per-machine files: {@code 52-54-00-12-34-56}. */
    public String toDashed() {
        return separated('-');
    }

    /** Hex without separators: {@code 525400123456}. */
    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    private String separated(char sep) {
        String hex = toHex();
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }
}
