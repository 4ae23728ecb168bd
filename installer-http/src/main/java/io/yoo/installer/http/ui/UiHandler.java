package io.yoo.installer.http.ui;

import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web UI (plain HTML/CSS/JS, no build step) and {@code /openapi.json}, served from the jar.
 * Read once at startup: a handful of small files. The UI holds no secrets; it asks for the admin
 * token and sends it with every API call.
 */
public final class UiHandler extends Handler.Abstract {
    private static final String ROOT = "io/yoo/installer/http/ui/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/ui/app.js", "app.js",
            "/ui/app.css", "app.css",
            "/ui/discovered.js", "discovered.js",
            "/openapi.json", "openapi.json");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json");

    private final Map<String, byte[]> content;

    public UiHandler() {
        Map<String, byte[]> m = new HashMap<>();
        for (String f : FILES.values()) {
            try (InputStream in = UiHandler.class.getClassLoader().getResourceAsStream(ROOT + f)) {
                if (in == null) {
                    throw new IllegalStateException("UI file " + ROOT + f + " missing from the jar");
                }
                m.put(f, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        content = Map.copyOf(m);
    }

    /** The URL paths of the UI's files (each routed here by exact match). */
    public static Set<String> paths() {
        return FILES.keySet();
    }

    /** Any method: the files are the same for all (as they always were). */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String f = FILES.get(request.getHttpURI().getDecodedPath());
        if (f == null) {
            return false;
        }
        String ext = f.substring(f.lastIndexOf('.') + 1);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        return Responses.send(response, callback, 200, TYPES.get(ext), content.get(f));
    }
}
