package io.yoo.installer.dhcp.lease;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file half of a lease store (the DHCPv4 {@link LeaseStore} and the DHCPv6 {@code Lease6Store}):
 * an append-only journal of ASCII lines, one per lease change. Lines are queued in memory by
 * {@link #append} and written with one {@code write(2)} by {@link #flush} (the server flushes
 * before it sends the replies that promise those leases: they survive kill -9 of the server, not a
 * power cut, as Kea's memfile). {@link #rewrite} replaces the whole file with the live leases
 * (tmp file, fsync, atomic rename, fsync of the directory). What a line means is the store's
 * business; this class only moves lines. Not thread-safe: the owning store holds its lock.
 */
public final class LeaseJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseJournal.class);

    private final Path dir;
    private final Path file;
    private FileChannel channel;
    private ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private long lines;

    /** The journal {@code dir/fileName}; the directory is created, the file is opened by the first {@link #rewrite}. */
    public LeaseJournal(Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        this.dir = dir;
        this.file = dir.resolve(fileName);
    }

    /**
     * Hands every line of the journal on disk (if any), split at spaces, to {@code apply}. A line
     * {@code apply} throws a {@link RuntimeException} for (a torn last line after a crash, hand-edited
     * garbage, an unknown kind) is skipped and counted in one warning.
     */
    public void replay(Consumer<String[]> apply) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.US_ASCII);
        int bad = 0;
        for (String line : all) {
            try {
                apply.accept(line.split(" "));
            } catch (RuntimeException e) {
                bad++;
            }
        }
        if (bad > 0) {
            LOG.warn("{}: skipped {} unreadable line(s) of {}", file, bad, all.size());
        }
    }

    /** Queues one line (ASCII, ending in a newline); on disk after the next {@link #flush}. */
    public void append(CharSequence line) {
        int n = line.length();
        if (pending.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + n));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        for (int i = 0; i < n; i++) {
            pending.put((byte) line.charAt(i));
        }
        lines++;
    }

    /** Lines in the file plus the queued ones: against the live leases, tells when to {@link #rewrite}. */
    public long lines() {
        return lines;
    }

    /** Writes the queued lines with one system call (none if nothing is queued). */
    public void flush() throws IOException {
        if (pending.position() == 0 || channel == null) {
            return;
        }
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }

    /**
     * Replaces the journal with {@code live} ({@code liveLines} lines, the leases that still count),
     * durably: nothing queued before survives, so call it with the store's whole state.
     */
    public void rewrite(CharSequence live, long liveLines) throws IOException {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(live.toString().getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (channel != null) {
            channel.close();
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some filesystems cannot fsync a directory; the rename is still atomic
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        pending.clear();
        lines = liveLines;
    }

    /** Writes what is queued and closes the file; a failure is logged (nothing is left to tell). */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            flush();
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing lease journal {}: {}", file, e.toString());
        }
        channel = null;
    }
}
