package io.yoo.installer.http.assets;

import io.yoo.installer.http.transfer.SendfileEndPoint;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Writes a region of a file to a response without reading it into the heap: the region is mapped
 * a window at a time and each window is handed to Jetty as one write, then unmapped. On a plain
 * HTTP/1.1 connection the window is announced to the {@link SendfileEndPoint}, which sends it with
 * sendfile, so its pages are never touched by this process (no copy, no RSS) and windows can be
 * large; anywhere else (TLS, a multipart body, a wrapped sink) the mapped bytes themselves are
 * written, one copy from the page cache, in small windows so RSS stays at one window per transfer.
 */
final class FileRegionWriter {
    /** Window size when the bytes are copied: bounds RSS per transfer. */
    static final long COPY_WINDOW = 2L << 20;
    /** Window size when the kernel sends them: fewer writes, mappings and unmappings. */
    static final long SENDFILE_WINDOW = 16L << 20;

    private FileRegionWriter() {}

    /** Writes {@code length} bytes (or to the end, if negative) from {@code offset}, then completes {@code callback}. */
    static void write(Path file, Content.Sink sink, long offset, long length, Callback callback) {
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
        SendfileEndPoint sendfile = sink instanceof Response r ? SendfileEndPoint.of(r) : null;
        new WindowWriter(channel, sink, sendfile, offset, remaining, callback).iterate();
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
        private final SendfileEndPoint sendfile;
        private final long windowSize;
        private final Callback done;
        private long position;
        private long remaining;
        private Arena window;

        WindowWriter(FileChannel channel, Content.Sink sink, SendfileEndPoint sendfile, long position, long remaining, Callback done) {
            this.channel = channel;
            this.sink = sink;
            this.sendfile = sendfile;
            this.windowSize = sendfile != null ? SENDFILE_WINDOW : COPY_WINDOW;
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
            long size = Math.min(windowSize, remaining);
            // shared: the write may complete on another thread than the one that mapped
            window = Arena.ofShared();
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, position, size, window).asByteBuffer();
            if (sendfile != null) {
                sendfile.sendFromFile(bytes, channel, position);
            }
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
