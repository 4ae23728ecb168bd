package io.yoo.installer.core.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, bounded, append-only file of opaque records: where the state store puts the writes it
 * cannot commit while its database is unreachable, so they survive a restart of the server.
 *
 * <p>Format: an 8-byte header {@code YOOSPL01}, then records of {@code [length: int32 BE]
 * [CRC-32C of payload: int32 BE][payload]}. Each append is forced to disk before it returns (the
 * caller acknowledges the write after that). At open, a tail that is cut short or fails its checksum
 * (a crash mid-append) is dropped, counted, and cut off the file; every record before it is kept.
 *
 * <p>The file never grows past {@code maxBytes}: an append that would is refused (the caller counts
 * and reports the drop; nothing is lost silently). Not thread-safe: one writer thread owns it.
 */
public final class WriteSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteSpool.class);
    static final byte[] HEADER = "YOOSPL01".getBytes(StandardCharsets.US_ASCII);
    /** Length and checksum before each payload. */
    static final int RECORD_OVERHEAD = 8;

    private final Path file;
    private final long maxBytes;
    private final FileChannel channel;
    private long size;
    private int count;
    private final int droppedAtOpen;

    private WriteSpool(Path file, long maxBytes, FileChannel channel, long size, int count, int droppedAtOpen) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.channel = channel;
        this.size = size;
        this.count = count;
        this.droppedAtOpen = droppedAtOpen;
    }

    /** Opens (or creates) the spool, keeping its intact records and cutting off a damaged tail. */
    public static WriteSpool open(Path file, long maxBytes) throws IOException {
        if (maxBytes < HEADER.length + RECORD_OVERHEAD + 1) {
            throw new IllegalArgumentException("spool bound " + maxBytes + " bytes is too small");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (ch.size() < HEADER.length) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(HEADER), 0);
                ch.force(true);
                return new WriteSpool(file, maxBytes, ch, HEADER.length, 0, 0);
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER.length);
            readFully(ch, head, 0);
            if (!Arrays.equals(head.array(), HEADER)) {
                throw new IOException(file + ": not a yoo write spool (bad header); move it away to start without it");
            }
            Scan scan = scan(ch);
            int dropped = 0;
            if (scan.goodEnd() < ch.size()) {
                dropped = 1;
                LOG.warn("write spool {}: dropped a damaged last record ({} bytes after offset {}: cut short or bad checksum); "
                        + "kept the {} records before it", file, ch.size() - scan.goodEnd(), scan.goodEnd(), scan.payloads().size());
                ch.truncate(scan.goodEnd());
                ch.force(true);
            }
            return new WriteSpool(file, maxBytes, ch, scan.goodEnd(), scan.payloads().size(), dropped);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private record Scan(List<byte[]> payloads, long goodEnd) {}

    private static Scan scan(FileChannel ch) throws IOException {
        List<byte[]> out = new ArrayList<>();
        long pos = HEADER.length;
        long end = ch.size();
        ByteBuffer meta = ByteBuffer.allocate(RECORD_OVERHEAD);
        while (pos + RECORD_OVERHEAD <= end) {
            meta.clear();
            readFully(ch, meta, pos);
            int len = meta.getInt(0);
            int crc = meta.getInt(4);
            if (len <= 0 || pos + RECORD_OVERHEAD + len > end) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(ch, payload, pos + RECORD_OVERHEAD);
            if (crc(payload.array()) != crc) {
                break;
            }
            out.add(payload.array());
            pos += RECORD_OVERHEAD + len;
        }
        return new Scan(out, pos);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    private static int crc(byte[] payload) {
        CRC32C c = new CRC32C();
        c.update(payload);
        return (int) c.getValue();
    }

    /**
     * Appends one record and forces it to disk. Returns false, writing nothing, when it would take
     * the file past its bound.
     */
    public boolean append(byte[] payload) {
        if (payload.length == 0) {
            throw new IllegalArgumentException("empty spool record");
        }
        long need = RECORD_OVERHEAD + (long) payload.length;
        if (size + need > maxBytes) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate((int) need);
        b.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
        try {
            long pos = size;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the write spool " + file + ": " + e.getMessage(), e);
        }
        size += need;
        count++;
        return true;
    }

    /** Every record, in the order appended. */
    public List<byte[]> records() {
        try {
            return scan(channel).payloads();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write spool " + file + ": " + e.getMessage(), e);
        }
    }

    /** Empties the spool (after its records are committed elsewhere). */
    public void clear() {
        try {
            channel.truncate(HEADER.length);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the write spool " + file + ": " + e.getMessage(), e);
        }
        size = HEADER.length;
        count = 0;
    }

    public int count() {
        return count;
    }

    public long sizeBytes() {
        return size;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public Path file() {
        return file;
    }

    /** Damaged tail records dropped when the spool was opened (0 or 1). */
    public int droppedAtOpen() {
        return droppedAtOpen;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
