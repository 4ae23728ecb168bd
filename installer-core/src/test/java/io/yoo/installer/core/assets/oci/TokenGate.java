package io.yoo.installer.core.assets.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A token-auth front for the test registry, the way registry.k8s.io, Docker Hub and ghcr.io
 * behave: {@code /v2/...} without a valid Bearer token answers 401 with a
 * {@code WWW-Authenticate: Bearer realm=...} challenge; {@code /token} hands out anonymous pull
 * tokens for a scope. Everything else is forwarded to the registry (Range included). Knobs:
 * break the first transfer of one blob after some bytes (resume), and redirect blob GETs to a
 * second listener reached by another host name (is the token sent there?).
 */
final class TokenGate implements AutoCloseable {
    private final HttpServer server;
    private final HttpServer cdn;
    private final URI registry;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> cdnAuthorization = new CopyOnWriteArrayList<>();
    final Set<String> tokenScopes = ConcurrentHashMap.newKeySet();
    volatile String breakBlob;
    volatile long breakAfter;
    private final AtomicBoolean broken = new AtomicBoolean();
    volatile boolean redirectBlobs;
    /** registry.k8s.io's way: every /v2/ request redirected, unauthenticated, to a host that does the token check itself. */
    volatile boolean redirectAll;
    final List<String> originAuthorization = new CopyOnWriteArrayList<>();

    TokenGate(URI registry) throws IOException {
        this.registry = registry;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        cdn.createContext("/", ex -> {
            if (ex.getRequestURI().getRawPath().equals("/token")) {
                issueToken(ex);
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            cdnAuthorization.add(auth == null ? "none" : auth);
            if (redirectAll && !authorized(ex, "http://localhost:" + ex.getLocalAddress().getPort())) {
                return;
            }
            forward(ex, ex.getRequestURI().getRawPath(), false);
        });
        cdn.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static void resetBreak(TokenGate g) {
        g.broken.set(false);
    }

    boolean broke() {
        return broken.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + (range != null ? " " + range : ""));
        if (path.equals("/token")) {
            issueToken(ex);
            return;
        }
        if (path.startsWith("/v2/") && path.length() > 4) {
            String a = ex.getRequestHeaders().getFirst("Authorization");
            originAuthorization.add(a == null ? "none" : a);
            if (redirectAll) {
                ex.getResponseHeaders().set("Location", "http://localhost:" + cdn.getAddress().getPort() + path);
                ex.sendResponseHeaders(307, -1);
                ex.close();
                return;
            }
            if (!authorized(ex, url().toString())) {
                return;
            }
            if (redirectBlobs && path.contains("/blobs/")) {
                // "localhost" is another host name for the same loopback listener: a different origin
                ex.getResponseHeaders().set("Location", "http://localhost:" + cdn.getAddress().getPort() + path);
                ex.sendResponseHeaders(307, -1);
                ex.close();
                return;
            }
        }
        boolean breakThis = breakBlob != null && path.endsWith("/blobs/" + breakBlob) && range == null && !broken.get();
        forward(ex, path, breakThis);
    }

    private void issueToken(HttpExchange ex) throws IOException {
        String query = String.valueOf(ex.getRequestURI().getQuery());
        String scope = query.replaceAll(".*scope=([^&]*).*", "$1");
        tokenScopes.add(scope);
        String token = UUID.randomUUID().toString();
        tokens.put(token, scope);
        byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    /** Answers 401 with a challenge (realm on {@code tokenHost}) unless the request carries a token for its repository. */
    private boolean authorized(HttpExchange ex, String tokenHost) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String repo = path.substring(4).replaceAll("/(manifests|blobs)/.*$", "");
        String scope = "repository:" + repo + ":pull";
        String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        String granted = auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
        if (scope.equals(granted)) {
            return true;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + tokenHost + "/token\",service=\"yoo-test\",scope=\"" + scope + "\"");
        ex.sendResponseHeaders(401, -1);
        ex.close();
        return false;
    }

    private void forward(HttpExchange ex, String path, boolean breakThis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(registry + path).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        for (String h : List.of("Accept", "Range")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                c.setRequestProperty(h, v);
            }
        }
        int status = c.getResponseCode();
        for (String h : List.of("Content-Type", "Docker-Content-Digest", "Content-Range", "Accept-Ranges")) {
            String v = c.getHeaderField(h);
            if (v != null) {
                ex.getResponseHeaders().set(h, v);
            }
        }
        long len = c.getContentLengthLong();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        ex.sendResponseHeaders(status, len < 0 ? 0 : (len == 0 ? -1 : len));
        try (OutputStream out = ex.getResponseBody()) {
            if (in != null) {
                if (breakThis) {
                    out.write(in.readNBytes((int) breakAfter));
                    out.flush();
                    broken.set(true);
                    in.close();
                    // a connection that drops mid-body: the client sees fewer bytes than announced
                    throw new IOException("test: transfer broken on purpose");
                }
                in.transferTo(out);
                in.close();
            }
        } catch (IOException e) {
            ex.close();
        } finally {
            c.disconnect();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        cdn.stop(0);
    }
}
