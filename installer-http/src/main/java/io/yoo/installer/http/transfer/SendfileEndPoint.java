package io.yoo.installer.http.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A plain TCP endpoint that can send a file's bytes with {@code sendfile(2)}
 * ({@link FileChannel#transferTo}) instead of copying them from user space. Jetty 12 has no
 * file-region write: every body byte goes through a ByteBuffer and {@code write(2)}, one copy
 * more per byte than nginx, which on a veth link at 16 parallel downloads was the difference
 * between 0.75x and par.
 *
 * <p>The caller still hands Jetty an ordinary ByteBuffer (a read-only mapping of the same bytes),
 * so Jetty's content-length accounting, its write flusher (partial writes, write interest,
 * timeouts) and any fallback path stay as they are. It first announces that buffer with
 * {@link #sendFromFile}; when this endpoint is asked to flush that very buffer (by identity), it
 * transfers the region from the file and advances the buffer's position by what the kernel took,
 * never touching the mapped pages. A buffer that is copied, sliced or never reaches this endpoint
 * (TLS, a HEAD) is simply written as usual.
 */
public final class SendfileEndPoint extends SocketChannelEndPoint {
    private record Region(ByteBuffer window, FileChannel file, long offset) {}

    private final LongAdder sentFromFile;
    private volatile Region pending;

    SendfileEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler, LongAdder sentFromFile) {
        super(channel, selector, key, scheduler);
        this.sentFromFile = sentFromFile;
    }

    /**
     * The next flush of {@code window} sends its bytes from {@code file} starting at
     * {@code offset} (HTTP/1.1 has one response in flight per connection, so one region at a time).
     *
     * @param window an unread view of exactly {@code window.remaining()} bytes of the file at {@code offset}
     */
    public void sendFromFile(ByteBuffer window, FileChannel file, long offset) {
        pending = new Region(window, file, offset - window.position());
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        Region region = pending;
        int at = region == null ? -1 : indexOf(buffers, region.window());
        if (at < 0) {
            return super.flush(buffers);
        }
        // the response header (and a chunk header, if any) precede the body
        if (at > 0 && !super.flush(Arrays.copyOfRange(buffers, 0, at))) {
            return false;
        }
        if (!transfer(region)) {
            return false;
        }
        pending = null;
        return at == buffers.length - 1 || super.flush(Arrays.copyOfRange(buffers, at + 1, buffers.length));
    }

    /** Sends as much of the region as the socket takes now; true when all of it is gone. */
    private boolean transfer(Region region) throws IOException {
        ByteBuffer window = region.window();
        while (window.hasRemaining()) {
            long at = region.offset() + window.position();
            long sent;
            try {
                sent = region.file().transferTo(at, window.remaining(), getChannel());
                if (sent == 0 && at >= region.file().size()) {
                    // otherwise the write flusher would wait for a writable socket forever
                    throw new IOException("file shrank while being sent: " + window.remaining() + " bytes missing at offset " + at);
                }
            } catch (IOException e) {
                throw new EofException(e);
            }
            if (sent == 0) {
                return false;
            }
            notIdle();
            sentFromFile.add(sent);
            long asked = window.remaining();
            window.position(window.position() + (int) sent);
            if (sent < asked) {
                // the socket buffer is full: asking again now would only earn an EAGAIN
                return false;
            }
        }
        return true;
    }

    private static int indexOf(ByteBuffer[] buffers, ByteBuffer window) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] == window) {
                return i;
            }
        }
        return -1;
    }

    /** The sendfile-capable endpoint behind a response's connection, or null (TLS, HTTP/2, tests). */
    public static SendfileEndPoint of(Response response) {
        return response.getRequest().getConnectionMetaData().getConnection().getEndPoint() instanceof SendfileEndPoint e ? e : null;
    }
}
