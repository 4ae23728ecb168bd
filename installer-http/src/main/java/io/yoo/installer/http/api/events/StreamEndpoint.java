package io.yoo.installer.http.api.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/stream}: Server-Sent Events for the web UI. First a {@code snapshot}
 * ({@code {"machines": [...], "doneStates": [...]}}: the UI takes which states count as done from
 * the server, {@link MachineState#isDone()}), then a {@code machine} message per stored event
 * ({@link StreamPublisher}).
 */
public final class StreamEndpoint extends NoSuchApi.GetOnly {
    private final SseHub sse;
    private final MachineViews views;

    public StreamEndpoint(SseHub sse, MachineViews views) {
        this.sse = sse;
        this.views = views;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        return sse.open(response, callback, this::snapshot);
    }

    private String snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("machines", views.all());
        s.put("doneStates", MachineState.doneKeys());
        try {
            return Responses.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
