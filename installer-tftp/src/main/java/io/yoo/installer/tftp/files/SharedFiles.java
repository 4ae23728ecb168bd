package io.yoo.installer.tftp.files;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens each served file once and shares it between all transfers of it: 200 clients fetching
 * the same kernel share one mapping (one set of page-cache pages, no per-block open or read
 * syscalls; DATA is sent straight from the mapping with a gathering write).
 *
 * <p>A file is keyed by its real path plus identity (inode, size, mtime), so a file replaced on
 * disk is picked up by the next request while running transfers finish on the old mapping. The
 * mapping is unmapped when its last transfer releases it (an {@link Arena} per file, so unmapping
 * is deterministic rather than left to the GC). Files of 2 GiB or more are not mapped (a
 * ByteBuffer cannot address them) and are read with positional reads instead.
 *
 * <p>Thread-safe; acquire/release are rare compared to packets, so a lock is fine.
 */
public final class SharedFiles implements AutoCloseable {
    private final Map<Key, Shared> open = new HashMap<>();

    private record Key(Path path, Object fileKey, long size, long mtime) {}

    /** Returns content for one transfer; call {@link Content#release()} when done. */
    public synchronized Content acquire(Path realPath) throws IOException {
        BasicFileAttributes a = Files.readAttributes(realPath, BasicFileAttributes.class);
        Key key = new Key(realPath, a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
        Shared s = open.get(key);
        if (s == null) {
            s = new Shared(key);
            open.put(key, s);
        }
        s.refs++;
        return s.view();
    }

    /** Number of files currently open (for tests and stats). */
    public synchronized int openFiles() {
        return open.size();
    }

    private synchronized void release(Shared s) {
        if (--s.refs == 0) {
            open.remove(s.key);
            s.close();
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Shared::close);
        open.clear();
    }

    private final class Shared {
        final Key key;
        final FileChannel channel;
        final Arena arena;
        final ByteBuffer mapped; // null when too large or empty
        int refs;

        Shared(Key key) throws IOException {
            this.key = key;
            this.channel = FileChannel.open(key.path, StandardOpenOption.READ);
            long size = key.size;
            if (size > 0 && size < Integer.MAX_VALUE) {
                Arena a = Arena.ofShared();
                MemorySegment seg;
                try {
                    seg = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, a);
                } catch (IOException | RuntimeException e) {
                    a.close();
                    channel.close();
                    throw e;
                }
                this.arena = a;
                this.mapped = seg.asByteBuffer();
            } else {
                this.arena = null;
                this.mapped = null;
            }
        }

        Content view() {
            ByteBuffer dup = mapped == null ? null : mapped.duplicate();
            long size = key.size;
            return new Content() {
                boolean released;

                @Override
                public long size() {
                    return size;
                }

                @Override
                public ByteBuffer read(long offset, int length, ByteBuffer scratch) throws IOException {
                    if (dup != null) {
                        dup.limit((int) (offset + length)).position((int) offset);
                        return dup;
                    }
                    scratch.clear().limit(length);
                    long pos = offset;
                    while (scratch.hasRemaining()) {
                        int n = channel.read(scratch, pos);
                        if (n < 0) {
                            throw new IOException(key.path + " shrank while being served");
                        }
                        pos += n;
                    }
                    return scratch.flip();
                }

                @Override
                public void release() {
                    if (!released) {
                        released = true;
                        SharedFiles.this.release(Shared.this);
                    }
                }
            };
        }

        void close() {
            if (arena != null) {
                arena.close();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // read-only channel: nothing is lost
            }
        }
    }
}
