package io.yoo.installer.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one builder of error answers: RFC 9457 {@code application/problem+json} with {@code type}
 * ({@code about:blank}: the status says it all), {@code title} (the status's reason phrase),
 * {@code status}, {@code detail} (what went wrong, for a human) and {@code instance} (the request
 * path, when known). Every 4xx/5xx of the server goes through here.
 */
public final class Problem {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problem() {}

    /** The problem document (public for tests and the OpenAPI doc's example). */
    public static Map<String, Object> body(int status, String detail, String instance) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", HttpStatus.getMessage(status));
        p.put("status", status);
        p.put("detail", detail);
        if (instance != null) {
            p.put("instance", instance);
        }
        return p;
    }

    /** @param request for {@code instance}; null when the caller has none at hand */
    public static boolean send(Request request, Response response, Callback callback, int status, String detail) {
        String instance = request == null ? null : request.getHttpURI().getPath();
        try {
            return Responses.send(response, callback, status, CONTENT_TYPE, Responses.JSON.writeValueAsBytes(body(status, detail, instance)));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
    }

    /** 405 with the {@code Allow} header listing the methods the path answers (RFC 9110 15.5.6). */
    public static boolean methodNotAllowed(Request request, Response response, Callback callback, String allow, String detail) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        return send(request, response, callback, 405, detail);
    }
}
