package io.yoo.installer.core.assets.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX ustar archive of regular files (what an asset bundle needs; GNU tar and
 * busybox tar read it). Names up to 255 bytes via the ustar prefix field; sizes up to 8 GiB.
 */
public final class TarWriter implements AutoCloseable {
    static final int BLOCK = 512;
    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Adds {@code file} under {@code name} (forward slashes, relative). */
    public void add(String name, Path file, long mtimeSeconds) throws IOException {
        long size = Files.size(file);
        writeHeader(name, size, mtimeSeconds);
        long copied;
        try (InputStream in = Files.newInputStream(file)) {
            copied = in.transferTo(out);
        }
        if (copied != size) {
            throw new IOException(file + " changed size while being archived");
        }
        pad(size);
    }

    public void add(String name, byte[] content, long mtimeSeconds) throws IOException {
        writeHeader(name, content.length, mtimeSeconds);
        out.write(content);
        pad(content.length);
    }

    /** A ustar header, preceded by a pax {@code path=} record when the name does not fit ustar. */
    private void writeHeader(String name, long size, long mtime) throws IOException {
        if (!fitsUstar(name)) {
            byte[] rec = paxRecord("path", name);
            out.write(header(paxName(name), rec.length, mtime, (byte) 'x'));
            out.write(rec);
            pad(rec.length);
            out.write(header(paxName(name), size, mtime, (byte) '0'));
            return;
        }
        out.write(header(name, size, mtime));
    }

    private static String paxName(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        byte[] b = base.getBytes(StandardCharsets.UTF_8);
        return b.length <= 100 ? base : new String(b, 0, 90, StandardCharsets.UTF_8).replace("\uFFFD", "_");
    }

    /** "{@code <len> key=value\n}" where len counts the whole record including itself. */
    static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + String.valueOf(len).length();
        if (String.valueOf(total).length() != String.valueOf(len).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    static boolean fitsUstar(String name) {
        if (utf8(name) <= 100) {
            return true;
        }
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            if (utf8(name.substring(0, i)) <= 155 && utf8(name.substring(i + 1)) <= 100) {
                return true;
            }
        }
        return false;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    static byte[] header(String name, long size, long mtime) throws IOException {
        return header(name, size, mtime, (byte) '0');
    }

    static byte[] header(String name, long size, long mtime, byte type) throws IOException {
        if (size > 077777777777L) {
            throw new IOException(name + ": larger than 8 GiB, not supported in a bundle");
        }
        byte[] h = new byte[BLOCK];
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        String base = name;
        if (full.length > 100) {
            int cut = -1;
            for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                if (utf8(name.substring(0, i)) <= 155 && utf8(name.substring(i + 1)) <= 100) {
                    cut = i;
                    break;
                }
            }
            if (cut <= 0) {
                throw new IOException(name + ": path too long for a ustar bundle");
            }
            prefix = name.substring(0, cut);
            base = name.substring(cut + 1);
        }
        put(h, 0, 100, base.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    /** Writes the two zero blocks that end an archive; does not close the stream. */
    public void finish() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }
}
