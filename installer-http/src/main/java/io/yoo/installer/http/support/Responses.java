package io.yoo.installer.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small helpers to finish a response in one call. */
public final class Responses {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON_TYPE = "application/json";

    private Responses() {}

    public static boolean send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    public static boolean text(Response response, Callback callback, int status, String text) {
        return send(response, callback, status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean json(Response response, Callback callback, int status, Object value) {
        try {
            return send(response, callback, status, JSON_TYPE, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
    }

    /** {@code {"error": message}} with the status. */
    public static boolean error(Response response, Callback callback, int status, String message) {
        return json(response, callback, status, Map.of("error", message));
    }

    /** Secrets (configs, scripts with tokens) must never sit in a cache. */
    public static void noStore(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
}
