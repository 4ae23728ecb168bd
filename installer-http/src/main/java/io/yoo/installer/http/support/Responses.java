package io.yoo.installer.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
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

    /**
     * 200 with the JSON and a strong ETag (a hash of the body); 304 without a body when the
     * request's {@code If-None-Match} names that ETag (or is {@code *}). For lists a console polls.
     */
    public static boolean jsonTagged(Request request, Response response, Callback callback, Object value) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
        String etag = etag(body);
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && matchesAny(ifNoneMatch, etag)) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        return send(response, callback, 200, JSON_TYPE, body);
    }

    static String etag(byte[] body) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(h, 0, 16) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored. */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String v = t.strip();
            if (v.equals("*") || (v.startsWith("W/") ? v.substring(2) : v).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** An RFC 9457 problem ({@link Problem}) with the status and the message as its detail. */
    public static boolean error(Response response, Callback callback, int status, String message) {
        return Problem.send(null, response, callback, status, message);
    }

    /** The same, with the request's path as the problem's {@code instance}. */
    public static boolean error(Request request, Response response, Callback callback, int status, String message) {
        return Problem.send(request, response, callback, status, message);
    }

    /** A refused edit of the live descriptor (enroll, change-ip): 404, 409 or 400 by its kind, with every reason. */
    public static boolean refused(Request request, Response response, Callback callback, DescriptorEditRefused e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
        };
        String detail = e.errors().isEmpty() ? e.getMessage() : e.getMessage() + ": " + String.join("; ", e.errors());
        return error(request, response, callback, status, detail);
    }

    /** Secrets (configs, scripts with tokens) must never sit in a cache. */
    public static void noStore(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
}
