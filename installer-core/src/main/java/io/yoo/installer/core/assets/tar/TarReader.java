package io.yoo.installer.core.assets.tar;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads ustar / GNU tar archives entry by entry (regular files only; directories are skipped;
 * links, devices and GNU long names are refused). The archive is untrusted: names are returned
 * as written and the caller must check them (see {@code AssetPaths.checkRelative}).
 */
public final class TarReader {
    private final InputStream in;
    private long remaining;
    private int padding;

    public TarReader(InputStream in) {
        this.in = in;
    }

    public record Entry(String name, long size, InputStream content) {}

    /** The next regular file, or null at the end. Its content stream is valid until the next call. */
    public Entry next() throws IOException {
        skipRest();
        String paxPath = null;
        while (true) {
            byte[] h = in.readNBytes(TarWriter.BLOCK);
            if (h.length == 0) {
                return null;
            }
            if (h.length < TarWriter.BLOCK) {
                throw new EOFException("truncated tar header");
            }
            if (allZero(h)) {
                return null;
            }
            verifyChecksum(h);
            String name = string(h, 0, 100);
            String magic = string(h, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = string(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            if (type == '5') {
                continue; // directory
            }
            if (type == 'x' || type == 'g') {
                // pax extended header: only "path" matters here (long names); the rest is ignored
                if (size > 1 << 20) {
                    throw new IOException("pax header of " + size + " bytes: refusing");
                }
                byte[] rec = in.readNBytes((int) size);
                in.skipNBytes(blocks(size) - size);
                if (type == 'x') {
                    paxPath = paxPath(new String(rec, StandardCharsets.UTF_8));
                }
                continue;
            }
            if (paxPath != null) {
                name = paxPath;
            }
            if (type != '0' && type != '\0') {
                throw new IOException("tar entry '" + name + "' has type '" + type + "': only regular files are accepted");
            }
            remaining = size;
            padding = (int) (blocks(size) - size);
            return new Entry(name, size, new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int b = in.read();
                    if (b < 0) {
                        throw new EOFException("tar entry truncated");
                    }
                    remaining--;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (remaining <= 0) {
                        return -1;
                    }
                    int n = in.read(b, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        throw new EOFException("tar entry truncated");
                    }
                    remaining -= n;
                    return n;
                }

                @Override
                public void close() {}
            });
        }
    }

    private static String paxPath(String records) throws IOException {
        String path = null;
        int i = 0;
        while (i < records.length()) {
            int sp = records.indexOf(' ', i);
            if (sp < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(records.substring(i, sp));
            } catch (NumberFormatException e) {
                throw new IOException("malformed pax header");
            }
            byte[] all = records.getBytes(StandardCharsets.UTF_8);
            // lengths count bytes: re-slice on bytes from the byte offset of i
            int byteStart = records.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
            if (len <= 0 || byteStart + len > all.length) {
                throw new IOException("malformed pax header");
            }
            String rec = new String(all, byteStart, len, StandardCharsets.UTF_8);
            String kv = rec.substring(rec.indexOf(' ') + 1, rec.length() - 1);
            if (kv.startsWith("path=")) {
                path = kv.substring(5);
            }
            i += rec.length();
        }
        return path;
    }

    private void skipRest() throws IOException {
        if (remaining > 0) {
            in.skipNBytes(remaining);
            remaining = 0;
        }
        if (padding > 0) {
            in.skipNBytes(padding);
            padding = 0;
        }
    }

    private static long blocks(long size) {
        return (size + TarWriter.BLOCK - 1) / TarWriter.BLOCK * TarWriter.BLOCK;
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long expected = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < h.length; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        if (sum != expected) {
            throw new IOException("tar header checksum mismatch: not a tar file or corrupted");
        }
    }

    private static String string(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) throws IOException {
        if ((h[off] & 0x80) != 0) {
            // GNU base-256 size: big files
            long v = h[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = string(h, off, len).strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad number in tar header ('" + s + "'): not a tar file or corrupted");
        }
    }
}
