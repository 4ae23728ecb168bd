package io.yoo.installer.ipmi.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A Redfish BMC for tests: serves DMTF's public-rackmount1 mockup (path X → X/index.json) over
 * HTTPS with a fresh self-signed certificate (made by the JDK's keytool) on 127.0.0.1 and an
 * ephemeral port, with sessions, basic auth, PATCH (merged into later GETs) and POST actions
 * (logged; ComputerSystem.Reset also changes PowerState).
 */
public final class RedfishMockServer implements AutoCloseable {
    public static final String USER = "admin";
    public static final String PASSWORD = "secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path mockup;
    private final HttpsServer server;
    private final String fingerprint;
    private final boolean sessions;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> patches = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    /** A request the server saw: method, path, auth kind ("token", "basic", "none"), body. */
    public record Call(String method, String path, String auth, String body) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** A test's own answer for some paths, replacing the mockup's: how a hostile or broken BMC behaves. */
    public interface Answer {
        void answer(HttpExchange ex) throws IOException;
    }

    private final Map<Pattern, Answer> overrides = new ConcurrentHashMap<>();

    /** Answers requests whose path (no trailing slash) matches {@code pathRegex} with {@code answer}. */
    public RedfishMockServer override(String pathRegex, Answer answer) {
        overrides.put(Pattern.compile(pathRegex), answer);
        return this;
    }

    /** Serves the mockup document at {@code path} changed by {@code edit} (e.g. a hostile link or a placeholder UUID). */
    public RedfishMockServer rewrite(String path, Consumer<ObjectNode> edit) {
        return override(Pattern.quote(path), ex -> {
            ObjectNode doc = document(path);
            edit.accept(doc);
            send(ex, 200, JSON.writeValueAsString(doc));
        });
    }

    /** The mockup's document at {@code path}, e.g. {@code /redfish/v1/Systems/437XR1138R2}. */
    public ObjectNode document(String path) throws IOException {
        Path file = path.equals("/redfish/v1") ? mockup.resolve("index.json")
                : mockup.resolve(path.substring("/redfish/v1/".length())).resolve("index.json");
        return (ObjectNode) JSON.readTree(file.toFile());
    }

    private RedfishMockServer(Path mockup, HttpsServer server, String fingerprint, boolean sessions) {
        this.mockup = mockup;
        this.server = server;
        this.fingerprint = fingerprint;
        this.sessions = sessions;
    }

    /** Starts the server; {@code sessions=false} makes SessionService answer 405 (basic auth only). */
    public static RedfishMockServer start(Path work, boolean sessions) throws Exception {
        return start(work, sessions, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** As {@link #start(Path, boolean)}, on the given address (e.g. a BMC address inside a test namespace). */
    public static RedfishMockServer start(Path work, boolean sessions, InetSocketAddress bind) throws Exception {
        Path mockup = Peers.shared().resolve("redfish-mockups/public-rackmount1");
        Peers.require(Files.isDirectory(mockup), "Redfish mockup " + mockup + " missing");
        Path ks = work.resolve("bmc-" + UUID.randomUUID() + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias",
                "bmc", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=bmc.example.invalid", "-validity", "2", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        X509Certificate cert = (X509Certificate) store.getCertificate("bmc");
        String fp = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(bind, 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        RedfishMockServer m = new RedfishMockServer(mockup, s, fp, sessions);
        s.createContext("/", m::handle);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return m;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** SHA-256 of the server certificate, lower-case hex. */
    public String fingerprint() {
        return fingerprint;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public int openSessions() {
        return tokens.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath().replaceAll("/+$", "");
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = authKind(ex);
            calls.add(new Call(method, path, auth, body));
            for (Map.Entry<Pattern, Answer> o : overrides.entrySet()) {
                if (o.getKey().matcher(path).matches()) {
                    o.getValue().answer(ex);
                    return;
                }
            }
            if (!path.startsWith("/redfish/v1") || path.contains("..")) {
                send(ex, 404, "{}");
                return;
            }
            if (path.equals("/redfish/v1")) {
                send(ex, 200, Files.readString(mockup.resolve("index.json")));
                return;
            }
            if (path.equals("/redfish/v1/SessionService/Sessions") && method.equals("POST")) {
                if (!sessions) {
                    send(ex, 405, "{}");
                    return;
                }
                JsonNode creds = JSON.readTree(body);
                if (!USER.equals(creds.path("UserName").asText()) || !PASSWORD.equals(creds.path("Password").asText())) {
                    send(ex, 401, "{}");
                    return;
                }
                String id = UUID.randomUUID().toString().replace("-", "");
                String token = UUID.randomUUID().toString();
                tokens.put(id, token);
                ex.getResponseHeaders().add("X-Auth-Token", token);
                ex.getResponseHeaders().add("Location", "/redfish/v1/SessionService/Sessions/" + id);
                send(ex, 201, "{\"Id\":\"" + id + "\"}");
                return;
            }
            if (auth.equals("none")) {
                send(ex, 401, "{}");
                return;
            }
            switch (method) {
                case "GET" -> get(ex, path);
                case "PATCH" -> {
                    patches.merge(path, (ObjectNode) JSON.readTree(body), (a, b) -> deepMerge(a, b));
                    send(ex, 204, "");
                }
                case "POST" -> post(ex, path, body);
                case "DELETE" -> {
                    String id = path.substring(path.lastIndexOf('/') + 1);
                    send(ex, tokens.remove(id) != null ? 204 : 404, "");
                }
                default -> send(ex, 405, "{}");
            }
        }
    }

    private void get(HttpExchange ex, String path) throws IOException {
        Path file = mockup.resolve(path.substring("/redfish/v1/".length())).resolve("index.json").normalize();
        if (!file.startsWith(mockup) || !Files.isRegularFile(file)) {
            send(ex, 404, "{}");
            return;
        }
        ObjectNode doc = (ObjectNode) JSON.readTree(file.toFile());
        ObjectNode patch = patches.get(path);
        if (patch != null) {
            deepMerge(doc, patch);
        }
        send(ex, 200, JSON.writeValueAsString(doc));
    }

    private void post(HttpExchange ex, String path, String body) throws IOException {
        String reset = "/Actions/ComputerSystem.Reset";
        if (!path.endsWith(reset)) {
            send(ex, 404, "{}");
            return;
        }
        String system = path.substring(0, path.length() - reset.length());
        String type = JSON.readTree(body).path("ResetType").asText();
        String power = switch (type) {
            case "On", "ForceOn", "ForceRestart", "GracefulRestart", "PowerCycle" -> "On";
            case "ForceOff", "GracefulShutdown" -> "Off";
            default -> null;
        };
        if (power == null) {
            send(ex, 400, "{}");
            return;
        }
        patches.merge(system, (ObjectNode) JSON.readTree("{\"PowerState\":\"" + power + "\"}"), (a, b) -> deepMerge(a, b));
        log.add(system + " " + type);
        send(ex, 204, "");
    }

    private String authKind(HttpExchange ex) {
        String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null && tokens.containsValue(token)) {
            return "token";
        }
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return expected.equals(basic) ? "basic" : "none";
    }

    private static ObjectNode deepMerge(ObjectNode into, ObjectNode from) {
        from.properties().forEach(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                deepMerge(o, n);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
        return into;
    }

    /** Sends {@code body} as JSON with {@code status} (for {@link Answer}s). */
    public static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    /** ResetType actions seen, as "system-path type". */
    public List<String> actions() {
        return List.copyOf(log);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs a mockup BMC until killed: {@code ADDRESS [PORT]}; prints {@code port=N fingerprint=HEX} once listening. */
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("redfish-mock");
        RedfishMockServer m = start(work, true, new InetSocketAddress(InetAddress.getByName(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 0));
        System.out.println("port=" + m.port() + " fingerprint=" + m.fingerprint());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
