package io.yoo.installer.ipmi.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A parsed FRU inventory (Platform Management FRU Information Storage Definition v1.0): the
 * chassis, board and product info areas. Areas with a bad checksum or layout are left out and
 * named in {@link #problems()}, so one broken area does not hide the others.
 */
public record FruInventory(Optional<Chassis> chassis, Optional<Board> board, Optional<Product> product, List<String> problems) {

    public FruInventory {
        problems = List.copyOf(problems);
    }

    public record Chassis(int type, String partNumber, String serial) {}

    public record Board(String manufacturer, String product, String serial, String partNumber) {}

    public record Product(String manufacturer, String name, String partNumber, String version, String serial, String assetTag) {}

    /** The serial an operator means: the product serial, else chassis, else board. */
    public Optional<String> serial() {
        return product.map(Product::serial).filter(s -> !s.isEmpty())
                .or(() -> chassis.map(Chassis::serial).filter(s -> !s.isEmpty()))
                .or(() -> board.map(Board::serial).filter(s -> !s.isEmpty()));
    }

    public static FruInventory parse(byte[] fru) {
        List<String> problems = new ArrayList<>();
        if (fru.length < 8) {
            return new FruInventory(Optional.empty(), Optional.empty(), Optional.empty(), List.of("FRU shorter than its 8-byte header"));
        }
        if ((fru[0] & 0x0F) != 1) {
            problems.add("FRU header format version " + (fru[0] & 0x0F) + " is not 1");
        }
        if (sum(fru, 0, 8) != 0) {
            return new FruInventory(Optional.empty(), Optional.empty(), Optional.empty(), List.of("FRU common header checksum mismatch"));
        }
        Optional<Chassis> chassis = Optional.empty();
        Optional<Board> board = Optional.empty();
        Optional<Product> product = Optional.empty();
        try {
            chassis = area(fru, fru[2], "chassis", problems).map(a -> {
                Fields f = new Fields(a, 3);
                return new Chassis(a[2] & 0xFF, f.next(), f.next());
            });
        } catch (IllegalArgumentException e) {
            problems.add("chassis area: " + e.getMessage());
        }
        try {
            board = area(fru, fru[3], "board", problems).map(a -> {
                Fields f = new Fields(a, 6);
                return new Board(f.next(), f.next(), f.next(), f.next());
            });
        } catch (IllegalArgumentException e) {
            problems.add("board area: " + e.getMessage());
        }
        try {
            product = area(fru, fru[4], "product", problems).map(a -> {
                Fields f = new Fields(a, 3);
                return new Product(f.next(), f.next(), f.next(), f.next(), f.next(), f.next());
            });
        } catch (IllegalArgumentException e) {
            problems.add("product area: " + e.getMessage());
        }
        return new FruInventory(chassis, board, product, problems);
    }

    private static Optional<byte[]> area(byte[] fru, byte offsetByte, String name, List<String> problems) {
        int off = (offsetByte & 0xFF) * 8;
        if (off == 0) {
            return Optional.empty();
        }
        if (off + 2 > fru.length) {
            problems.add(name + " area offset " + off + " beyond the FRU (" + fru.length + " bytes)");
            return Optional.empty();
        }
        int len = (fru[off + 1] & 0xFF) * 8;
        if (len < 8 || off + len > fru.length) {
            problems.add(name + " area length " + len + " at offset " + off + " does not fit the FRU");
            return Optional.empty();
        }
        if (sum(fru, off, len) != 0) {
            problems.add(name + " area checksum mismatch");
            return Optional.empty();
        }
        byte[] a = new byte[len];
        System.arraycopy(fru, off, a, 0, len);
        return Optional.of(a);
    }

    private static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = off; i < off + len; i++) {
            s += b[i];
        }
        return s & 0xFF;
    }

    /** Walks type/length fields; after the end marker (0xC1) every field reads as "". */
    private static final class Fields {
        private final byte[] a;
        private int pos;
        private boolean ended;

        Fields(byte[] a, int start) {
            this.a = a;
            this.pos = start;
        }

        String next() {
            if (ended || pos >= a.length - 1) {
                ended = true;
                return "";
            }
            int tl = a[pos] & 0xFF;
            if (tl == 0xC1) {
                ended = true;
                return "";
            }
            int type = tl >>> 6;
            int len = tl & 0x3F;
            if (pos + 1 + len > a.length - 1) {
                throw new IllegalArgumentException("field at " + pos + " runs past the area end");
            }
            byte[] v = new byte[len];
            System.arraycopy(a, pos + 1, v, 0, len);
            pos += 1 + len;
            return decode(type, v);
        }
    }

    static String decode(int type, byte[] v) {
        return switch (type) {
            case 3 -> new String(v, StandardCharsets.ISO_8859_1).trim();
            case 2 -> sixBitAscii(v).trim();
            case 1 -> bcdPlus(v).trim();
            default -> HexFormat.of().formatHex(v);
        };
    }

    private static String bcdPlus(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v) {
            for (int nib : new int[] {(b >>> 4) & 0xF, b & 0xF}) {
                sb.append(switch (nib) {
                    case 0xA -> ' ';
                    case 0xB -> '-';
                    case 0xC -> '.';
                    case 0xD, 0xE, 0xF -> '?';
                    default -> (char) ('0' + nib);
                });
            }
        }
        return sb.toString();
    }

    /** Packed 6-bit ASCII: four characters in three bytes, LSB first; char = value + 0x20. */
    private static String sixBitAscii(byte[] v) {
        StringBuilder sb = new StringBuilder();
        int bits = 0;
        int acc = 0;
        for (byte b : v) {
            acc |= (b & 0xFF) << bits;
            bits += 8;
            while (bits >= 6) {
                sb.append((char) ((acc & 0x3F) + 0x20));
                acc >>>= 6;
                bits -= 6;
            }
        }
        return sb.toString();
    }
}
