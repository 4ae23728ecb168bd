package io.yoo.installer.http.api.logs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An uploaded install log as stored: gzip-compressed, with its uncompressed size. The script sends
 * gzip when its HTTP client can post binary, else plain text (compressed here). A gzip body is
 * inflated once to check it and to bound what it expands to (a small gzip can hold gigabytes).
 *
 * @param bytes the log's uncompressed size
 * @param gzip  the log, gzip-compressed
 */
public record InstallLogBody(long bytes, byte[] gzip) {
    /** The most an uploaded log may expand to. */
    public static final long MAX_LOG_BYTES = 16L << 20;

    /** Thrown for a body that is not what its content type says, or too large once inflated. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** @param gzipped the request's content type says gzip */
    public static InstallLogBody of(byte[] body, boolean gzipped) throws Refused {
        if (!gzipped) {
            if (body.length > MAX_LOG_BYTES) {
                throw new Refused(413, "install log over " + MAX_LOG_BYTES + " bytes");
            }
            return new InstallLogBody(body.length, compress(body));
        }
        if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
            throw new Refused(400, "body is not gzip (Content-Type application/gzip); send text/plain for an uncompressed log");
        }
        try {
            long n = inflatedSize(body);
            return new InstallLogBody(n, body);
        } catch (IOException e) {
            throw new Refused(400, "body is not valid gzip: " + e.getMessage());
        }
    }

    private static long inflatedSize(byte[] gzip) throws IOException, Refused {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > MAX_LOG_BYTES) {
                    throw new Refused(413, "install log expands to over " + MAX_LOG_BYTES + " bytes");
                }
            }
        }
        return total;
    }

    static byte[] compress(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, text.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    /** The stored log as text bytes (stored logs were checked at upload, so the bound holds). */
    public static byte[] inflate(byte[] gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readNBytes((int) MAX_LOG_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("stored install log is not gzip", e);
        }
    }
}
