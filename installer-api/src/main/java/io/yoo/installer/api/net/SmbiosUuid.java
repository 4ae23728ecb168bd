package io.yoo.installer.api.net;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A machine's SMBIOS system UUID, held in the order Linux and the BMC print it
 * ({@code /sys/class/dmi/id/product_uuid}, {@code ipmitool mc guid}).
 *
 * <p>PXE firmware sends the same UUID in DHCP option 97 with its first three fields in
 * little-endian order (the GUID wire layout of SMBIOS 2.6+). {@link #fromWireGuid} undoes that;
 * matching tries both orders because older firmware sends it unswapped.
 */
public record SmbiosUuid(long msb, long lsb) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public static SmbiosUuid parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!FORM.matcher(t).matches()) {
            throw new IllegalArgumentException("bad SMBIOS UUID '" + text
                    + "': expected 8-4-4-4-12 hex digits like 4a1f3c2e-7b77-4e2a-9c1d-000000000101");
        }
        return fromBytes(HexFormat.of().parseHex(t.replace("-", "")), 0);
    }

    /** The 16 bytes in the order they are printed. */
    public static SmbiosUuid fromBytes(byte[] b, int offset) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[offset + i] & 0xFF);
            lo = (lo << 8) | (b[offset + 8 + i] & 0xFF);
        }
        return new SmbiosUuid(hi, lo);
    }

    /** The 16 bytes as PXE firmware puts them in option 97 (first three fields byte-swapped). */
    public static SmbiosUuid fromWireGuid(byte[] b, int offset) {
        byte[] c = new byte[16];
        System.arraycopy(b, offset, c, 0, 16);
        return fromBytes(swapFirstThreeFields(c), 0);
    }

    /**
     * All zeros or all ones: what firmware reports when the SMBIOS UUID was never programmed, so
     * many machines share it and it identifies none of them.
     */
    public boolean isPlaceholder() {
        return (msb == 0 && lsb == 0) || (msb == -1L && lsb == -1L);
    }

    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (8 * (7 - i)));
            b[8 + i] = (byte) (lsb >>> (8 * (7 - i)));
        }
        return b;
    }

    /** The GUID wire layout (first three fields little-endian), as sent in DHCP option 97. */
    public byte[] toWireGuid() {
        return swapFirstThreeFields(toBytes());
    }

    /** This UUID with its first three fields byte-swapped (the other reading of the same bytes). */
    public SmbiosUuid swapped() {
        return fromBytes(swapFirstThreeFields(toBytes()), 0);
    }

    private static byte[] swapFirstThreeFields(byte[] b) {
        reverse(b, 0, 4);
        reverse(b, 4, 2);
        reverse(b, 6, 2);
        return b;
    }

    private static void reverse(byte[] b, int from, int len) {
        for (int i = 0; i < len / 2; i++) {
            byte t = b[from + i];
            b[from + i] = b[from + len - 1 - i];
            b[from + len - 1 - i] = t;
        }
    }

    @Override
    public String toString() {
        String h = HexFormat.of().formatHex(toBytes());
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }
}
