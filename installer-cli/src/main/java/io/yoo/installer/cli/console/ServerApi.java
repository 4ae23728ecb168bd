package io.yoo.installer.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API of a running {@code yoo serve}, as the shell commands read it: the admin token
 * from an environment variable or the server's state directory, bounded waits and a bounded
 * body (a list of 5,000 machines is about 2 MB; a server that sends more is not ours).
 */
public final class ServerApi {
    static final long MAX_BODY = 64L << 20;
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration REQUEST = Duration.ofSeconds(20);

    private final URI base;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    private final ObjectMapper mapper = new ObjectMapper();

    private ServerApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** What went wrong, already worded for the operator, with the exit code the command returns. */
    public static final class Failure extends Exception {
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * @param env the process environment ({@code tokenEnv} is looked up there first)
     * @throws Failure (usage) when neither the variable nor a readable {@code stateDir/admin-token} exists
     */
    public static ServerApi connect(URI base, Map<String, String> env, String tokenEnv, Path stateDir, int usageExit) throws Failure, IOException {
        Optional<String> fromEnv = Optional.ofNullable(env.get(tokenEnv)).map(String::strip).filter(t -> !t.isEmpty());
        if (fromEnv.isPresent()) {
            return new ServerApi(base, fromEnv.get());
        }
        Path f = stateDir.resolve("admin-token");
        if (!Files.isReadable(f)) {
            throw new Failure(usageExit, "no admin token: set " + tokenEnv + " or point --state-dir at the server's state directory (" + f
                    + " not readable)");
        }
        return new ServerApi(base, Files.readString(f).strip());
    }

    /**
     * GET {@code path} as JSON.
     *
     * @param notFoundExit the exit code for a 404 (e.g. "no such machine")
     * @param environmentExit the exit code for an unreachable server or a refused token
     */
    public JsonNode get(String path, int notFoundExit, int environmentExit) throws Failure {
        return send("GET", path, null, notFoundExit, environmentExit, environmentExit);
    }

    /**
     * {@code method path} with an optional JSON body; the answer as JSON (null for 204).
     *
     * @param refusedExit the exit code for a 4xx other than 401/403/404 (the server's problem detail is the message)
     */
    public JsonNode send(String method, String path, JsonNode body, int notFoundExit, int environmentExit, int refusedExit) throws Failure {
        String text = call(method, path, body, notFoundExit, environmentExit, refusedExit);
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new Failure(environmentExit, base.resolve(path) + ": the answer is not JSON: " + e.getMessage());
        }
    }

    /** GET {@code path} as text (e.g. an install log). */
    public String getText(String path, int notFoundExit, int environmentExit) throws Failure {
        String text = call("GET", path, null, notFoundExit, environmentExit, environmentExit);
        return text == null ? "" : text;
    }

    /** The answer's body as text (null for 204), after the status checks {@link #send} documents. */
    private String call(String method, String path, JsonNode body, int notFoundExit, int environmentExit, int refusedExit) throws Failure {
        URI uri = base.resolve(path);
        HttpResponse<InputStream> r;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST).header("Authorization", "Bearer " + token);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            }
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new Failure(environmentExit, "nothing answers at " + base + " (is 'yoo serve' running? --url sets where)");
        } catch (HttpTimeoutException e) {
            throw new Failure(environmentExit, base + " did not answer within " + REQUEST.toSeconds() + " s");
        } catch (IOException e) {
            throw new Failure(environmentExit, base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(environmentExit, "interrupted");
        }
        try (InputStream in = r.body()) {
            byte[] raw = in.readNBytes((int) MAX_BODY + 1);
            if (raw.length > MAX_BODY) {
                throw new Failure(environmentExit, uri + " sent more than " + (MAX_BODY >> 20) + " MiB: not a yoo serve answer");
            }
            String text = new String(raw, StandardCharsets.UTF_8);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new Failure(environmentExit, "the server refused the token (HTTP " + r.statusCode() + ")" + detail(text).map(d -> ": " + d).orElse(""));
            }
            if (r.statusCode() == 404) {
                throw new Failure(notFoundExit, detail(text).orElse("not found: " + uri));
            }
            if (r.statusCode() >= 400 && r.statusCode() < 500) {
                throw new Failure(refusedExit, detail(text).orElse("HTTP " + r.statusCode() + " from " + uri));
            }
            if (r.statusCode() == 204) {
                return null;
            }
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new Failure(environmentExit, "HTTP " + r.statusCode() + " from " + uri + ": " + detail(text).orElse(text.lines().findFirst().orElse("")));
            }
            return text;
        } catch (IOException e) {
            throw new Failure(environmentExit, uri + ": " + e.getMessage());
        }
    }

    /** The {@code detail} of an RFC 9457 problem (the server's own words), if the body is one. */
    private Optional<String> detail(String body) {
        try {
            JsonNode p = mapper.readTree(body);
            return p != null && p.hasNonNull("detail") ? Optional.of(p.get("detail").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
