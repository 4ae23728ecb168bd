package io.yoo.installer.http.assets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * A large file's body written from memory-mapped windows of the file rather than copied through
 * read buffers. Each window goes to the socket in one write straight from the page cache (one
 * copy less per byte and a few writes per window instead of one per 32 KiB), and is unmapped as
 * soon as it is written, so a 4 GiB image costs at most one window of address space and RSS per
 * transfer. Jetty's own file mapping maps the whole file and keeps it mapped. Headers, ETags,
 * conditional requests and ranges stay with Jetty's ResourceService; only {@link #writeTo} changes.
 */
final class MappedWindowContent extends HttpContent.Wrapper {
    /** Files at least this large are sent from mapped windows; smaller ones as Jetty does. */
    static final long THRESHOLD = 1L << 20;
    static final long WINDOW = 2L << 20;

    private final Path file;

    MappedWindowContent(HttpContent wrapped, Path file) {
        super(wrapped);
        this.file = file;
    }

    @Override
    public void writeTo(Content.Sink sink, long offset, long length, Callback callback) {
        FileChannel channel;
        long remaining;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            remaining = length < 0 ? channel.size() - offset : length;
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        if (remaining <= 0) {
            closeQuietly(channel);
            sink.write(true, null, callback);
            return;
        }
        new WindowWriter(channel, sink, offset, remaining, callback).iterate();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /** Maps the next window, writes it, unmaps it when the write completes; repeats. */
    private static final class WindowWriter extends IteratingCallback {
        private final FileChannel channel;
        private final Content.Sink sink;
        private final Callback done;
        private long position;
        private long remaining;
        private Arena window;

        WindowWriter(FileChannel channel, Content.Sink sink, long position, long remaining, Callback done) {
            this.channel = channel;
            this.sink = sink;
            this.position = position;
            this.remaining = remaining;
            this.done = done;
        }

        @Override
        protected Action process() throws IOException {
            unmap();
            if (remaining == 0) {
                return Action.SUCCEEDED;
            }
            long size = Math.min(WINDOW, remaining);
            // shared: the write may complete on another thread than the one that mapped
            window = Arena.ofShared();
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, position, size, window).asByteBuffer();
            position += size;
            remaining -= size;
            sink.write(remaining == 0, bytes, this);
            return Action.SCHEDULED;
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        protected void onCompleteSuccess() {
            unmap();
            closeQuietly(channel);
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            unmap();
            closeQuietly(channel);
            done.failed(cause);
        }

        private void unmap() {
            if (window != null) {
                window.close();
                window = null;
            }
        }
    }
}
