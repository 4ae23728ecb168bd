package io.yoo.installer.http.api.events;

import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-Sent Events to the web UI. Each client gets a bounded queue drained by its own virtual
 * thread (blocking writes are cheap there), so a slow browser never blocks the store's writer
 * thread that publishes; a client that falls 1,000 messages behind is dropped (it reconnects and
 * gets a fresh snapshot). A comment line every 15 s keeps proxies and idle timeouts from closing
 * the stream.
 */
public final class SseHub {
    private static final Logger LOG = LoggerFactory.getLogger(SseHub.class);
    private static final String CLOSE = "\0close";

    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();

    /** Sends {@code snapshot} first, then every published message, until the client goes away. */
    public boolean open(Response response, Callback callback, Supplier<String> snapshot) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(1000);
        // register before taking the snapshot: an event racing with it is then delivered (before
        // or after the snapshot, both fine: the snapshot replaces the table), never lost
        clients.add(queue);
        queue.offer(frame("snapshot", snapshot.get()));
        Thread.ofVirtual().name("yoo-sse").start(() -> pump(queue, response, callback));
        return true;
    }

    private void pump(BlockingQueue<String> queue, Response response, Callback callback) {
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String msg = queue.poll(15, TimeUnit.SECONDS);
                if (CLOSE.equals(msg)) {
                    break;
                }
                out.write((msg == null ? ": keep-alive\n\n" : msg).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            clients.remove(queue);
            out.close();
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            clients.remove(queue);
            LOG.debug("SSE client gone: {}", e.toString());
            callback.failed(e);
        } catch (InterruptedException e) {
            clients.remove(queue);
            callback.failed(e);
        }
    }

    public void publish(String event, Object data) {
        if (clients.isEmpty()) {
            return;
        }
        String f;
        try {
            f = frame(event, Responses.JSON.writeValueAsString(data));
        } catch (IOException e) {
            LOG.warn("cannot serialise SSE payload", e);
            return;
        }
        for (BlockingQueue<String> q : clients) {
            if (!q.offer(f)) {
                clients.remove(q);
                q.clear();
                q.offer(CLOSE);
            }
        }
    }

    public int clientCount() {
        return clients.size();
    }

    /** Ends every stream (server stop). */
    public void closeAll() {
        for (BlockingQueue<String> q : clients) {
            q.clear();
            q.offer(CLOSE);
        }
        clients.clear();
    }

    private static String frame(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }
}
