package io.yoo.installer.http.api.events;

import io.yoo.installer.core.state.StateListener;
import io.yoo.installer.core.state.Transition;
import io.yoo.installer.http.api.MachineViews;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store's listener that feeds the live stream: per stored event a {@code machine} message
 * {@code {"machine": <machine view>, "event": <EventJson>}}.
 */
public final class StreamPublisher implements StateListener {
    private final SseHub sse;
    private final MachineViews views;
    private volatile boolean open = true;

    public StreamPublisher(SseHub sse, MachineViews views) {
        this.sse = sse;
        this.views = views;
    }

    @Override
    public void changed(Transition t) {
        if (!open || sse.clientCount() == 0) {
            return; // runs on the store's writer thread: no work when nobody watches
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("machine", views.view(t.after().name(), t.after()));
        msg.put("event", EventJson.of(t));
        sse.publish("machine", msg);
    }

    /** The server stopped: publish nothing more (the store may outlive it). */
    public void close() {
        open = false;
    }
}
