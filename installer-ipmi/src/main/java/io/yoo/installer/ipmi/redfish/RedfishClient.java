package io.yoo.installer.ipmi.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Redfish client: ServiceRoot → Systems → EthernetInterfaces (host MACs), Managers →
 * EthernetInterfaces (BMC NIC), boot override and ComputerSystem.Reset. Follows {@code @odata.id}
 * links from the service root instead of assuming paths, since vendors name members freely.
 *
 * <p>The BMC is not trusted: links are followed only when they are same-origin paths
 * ({@link RedfishPath}), redirects are never followed, bodies are read up to {@link #MAX_BODY}
 * bytes, collections up to {@link #MAX_MEMBERS} members, and every request waits at most the
 * configured timeout and never past the client's deadline. What was cut short is listed in
 * {@link #notes()}.
 */
public final class RedfishClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/redfish/v1";
    /** Largest response body read (a 20,000-member collection is about 1.2 MB). */
    public static final long MAX_BODY = 4L << 20;
    /** Members read from one collection; the rest are left out and noted. */
    public static final int MAX_MEMBERS = 256;

    private final RedfishConfig config;
    private final HttpClient http;
    private final Instant deadline;
    private final List<String> notes = new ArrayList<>();
    private String token;
    private String sessionPath;

    private RedfishClient(RedfishConfig config, Instant deadline) {
        this.config = config;
        this.deadline = deadline;
        this.http = HttpClient.newBuilder().sslContext(config.trust().sslContext()).connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Connects and logs in (a session, or basic auth as configured); checks the credentials once. */
    public static RedfishClient connect(RedfishConfig config) throws IOException {
        return connect(config, Instant.MAX);
    }

    /** As {@link #connect(RedfishConfig)}; no request of this client waits past {@code deadline}. */
    public static RedfishClient connect(RedfishConfig config, Instant deadline) throws IOException {
        RedfishClient c = new RedfishClient(config, deadline);
        try {
            c.login();
            return c;
        } catch (IOException | RuntimeException e) {
            c.http.close();
            throw e;
        }
    }

    private void login() throws IOException {
        JsonNode root = send("GET", ROOT, null, false);
        String sessions = root.path("Links").path("Sessions").path("@odata.id").asText(ROOT + "/SessionService/Sessions");
        if (config.auth() == RedfishConfig.Auth.SESSION) {
            ObjectNode body = JSON.createObjectNode().put("UserName", config.username()).put("Password", config.password());
            HttpResponse<byte[]> r = raw("POST", sessions, body, false);
            if (r.statusCode() == 200 || r.statusCode() == 201) {
                token = r.headers().firstValue("X-Auth-Token").orElseThrow(
                        () -> new RedfishException(config.base() + ": session created without an X-Auth-Token header", r.statusCode()));
                sessionPath = r.headers().firstValue("Location").map(RedfishClient::pathOf).orElse(null);
                return;
            }
            if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() == 400) {
                throw new RedfishException(config.base() + ": login refused for user '" + config.username() + "' (HTTP "
                        + r.statusCode() + ")", r.statusCode() == 400 ? 401 : r.statusCode());
            }
            log.debug("{}: no Redfish sessions (HTTP {}), using basic auth", config.base(), r.statusCode());
        }
        // basic auth: prove the credentials on a resource that needs them
        get(root.path("Systems").path("@odata.id").asText(ROOT + "/Systems"));
    }

    /** The path of a session's Location (absolute URL or path); null if unparsable. Checked by RedfishPath when used. */
    private static String pathOf(String location) {
        try {
            return URI.create(location).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What this client cut short or ignored (truncated collections, an unparsable UUID), for the scan report. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public JsonNode get(String path) throws IOException {
        return send("GET", path, null, true);
    }

    public List<String> members(String collectionPath) throws IOException {
        List<String> out = new ArrayList<>();
        JsonNode members = get(collectionPath).path("Members");
        for (JsonNode m : members) {
            if (out.size() == MAX_MEMBERS) {
                notes.add(RedfishPath.printable(collectionPath) + " has " + members.size() + " members; read the first " + MAX_MEMBERS);
                break;
            }
            String id = m.path("@odata.id").asText("");
            if (!id.isEmpty()) {
                out.add(id);
            }
        }
        return out;
    }

    public List<String> systemPaths() throws IOException {
        return members(get(ROOT).path("Systems").path("@odata.id").asText(ROOT + "/Systems"));
    }

    public RedfishSystem system(String path) throws IOException {
        JsonNode s = get(path);
        Optional<SmbiosUuid> uuid = Optional.empty();
        String u = s.path("UUID").asText("");
        if (!u.isEmpty()) {
            try {
                uuid = Optional.of(SmbiosUuid.parse(u));
            } catch (IllegalArgumentException e) {
                notes.add("system UUID '" + RedfishPath.printable(u) + "' is not a UUID; ignored");
            }
        }
        List<MacAddress> macs = new ArrayList<>();
        String nics = s.path("EthernetInterfaces").path("@odata.id").asText("");
        if (!nics.isEmpty()) {
            Set<MacAddress> seen = new LinkedHashSet<>();
            for (String nicPath : members(nics)) {
                JsonNode nic = get(nicPath);
                if (isHostNic(nic)) {
                    mac(nic).ifPresent(seen::add);
                }
            }
            macs.addAll(seen);
        }
        return new RedfishSystem(path, s.path("Id").asText(""), uuid, s.path("Manufacturer").asText(""), s.path("Model").asText(""),
                s.path("SerialNumber").asText(""), s.path("PowerState").asText(""), macs);
    }

    /** Physical host NICs only: not VLAN or other virtual interfaces, not the USB link to the BMC. */
    static boolean isHostNic(JsonNode nic) {
        if ("Virtual".equals(nic.path("EthernetInterfaceType").asText())) {
            return false;
        }
        if (nic.path("VLAN").path("VLANEnable").asBoolean(false) && nic.path("Links").has("RelatedInterfaces")) {
            return false;
        }
        return !nic.path("Links").has("HostInterface");
    }

    /** The burnt-in MAC when reported (what PXE firmware uses), else the current one. */
    static Optional<MacAddress> mac(JsonNode nic) {
        for (String field : new String[] {"PermanentMACAddress", "MACAddress"}) {
            String v = nic.path(field).asText("");
            if (!v.isEmpty()) {
                try {
                    MacAddress m = MacAddress.parse(v);
                    if (m.value() != 0) {
                        return Optional.of(m);
                    }
                } catch (IllegalArgumentException e) {
                    // try the next field
                }
            }
        }
        return Optional.empty();
    }

    public List<RedfishManagerNic> managerNics() throws IOException {
        List<RedfishManagerNic> out = new ArrayList<>();
        for (String manager : members(get(ROOT).path("Managers").path("@odata.id").asText(ROOT + "/Managers"))) {
            String nics = get(manager).path("EthernetInterfaces").path("@odata.id").asText("");
            if (nics.isEmpty()) {
                continue;
            }
            for (String nicPath : members(nics)) {
                JsonNode nic = get(nicPath);
                List<Ipv4> ips = new ArrayList<>();
                for (JsonNode a : nic.path("IPv4Addresses")) {
                    try {
                        ips.add(Ipv4.parse(a.path("Address").asText("")));
                    } catch (IllegalArgumentException e) {
                        // skip unparsable entries
                    }
                }
                out.add(new RedfishManagerNic(nic.path("Id").asText(""), mac(nic), ips));
            }
        }
        return out;
    }

    /**
     * PATCHes {@code Boot}: override target (e.g. "Pxe"), "Once" or "Continuous", and mode
     * "UEFI" or "Legacy" (null: leave the mode alone).
     */
    public void setBootOverride(String systemPath, String target, boolean continuous, String mode) throws IOException {
        ObjectNode boot = JSON.createObjectNode().put("BootSourceOverrideTarget", target)
                .put("BootSourceOverrideEnabled", continuous ? "Continuous" : "Once");
        if (mode != null) {
            boot.put("BootSourceOverrideMode", mode);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("Boot", boot);
        send("PATCH", systemPath, body, true);
    }

    /** POSTs ComputerSystem.Reset with the given ResetType ("On", "ForceOff", "ForceRestart", "PowerCycle"...). */
    public void reset(String systemPath, String resetType) throws IOException {
        JsonNode action = get(systemPath).path("Actions").path("#ComputerSystem.Reset");
        String target = action.path("target").asText(systemPath + "/Actions/ComputerSystem.Reset");
        JsonNode allowed = action.path("ResetType@Redfish.AllowableValues");
        if (allowed.isArray() && !allowed.isEmpty()) {
            boolean ok = false;
            for (JsonNode a : allowed) {
                ok |= a.asText().equals(resetType);
            }
            if (!ok) {
                throw new RedfishException(systemPath + ": ResetType " + resetType + " not allowed; BMC allows " + allowed, 400);
            }
        }
        send("POST", target, JSON.createObjectNode().put("ResetType", resetType), true);
    }

    /** The reset types this system allows (empty if it does not say). */
    public List<String> allowedResetTypes(String systemPath) throws IOException {
        List<String> out = new ArrayList<>();
        get(systemPath).path("Actions").path("#ComputerSystem.Reset").path("ResetType@Redfish.AllowableValues")
                .forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode send(String method, String path, JsonNode body, boolean auth) throws IOException {
        HttpResponse<byte[]> r = raw(method, path, body, auth);
        if (r.statusCode() / 100 == 3) {
            throw new RedfishException(config.base() + RedfishPath.printable(path) + ": " + method + " answered HTTP " + r.statusCode()
                    + " (redirect to '" + RedfishPath.printable(r.headers().firstValue("Location").orElse("")) + "' not followed)",
                    r.statusCode());
        }
        if (r.statusCode() / 100 != 2) {
            throw new RedfishException(config.base() + path + ": " + method + " answered HTTP " + r.statusCode(), r.statusCode());
        }
        if (r.body().length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new RedfishException(config.base() + path + ": not JSON: " + e.getMessage(), r.statusCode());
        }
    }

    private HttpResponse<byte[]> raw(String method, String path, JsonNode body, boolean auth) throws IOException {
        URI uri = RedfishPath.resolve(config.base(), path);
        Duration wait = remaining();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(wait)
                .header("Accept", "application/json").header("OData-Version", "4.0");
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (auth) {
            if (token != null) {
                b.header("X-Auth-Token", token);
            } else {
                String cred = config.username() + ":" + config.password();
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(cred.getBytes(StandardCharsets.UTF_8)));
            }
        }
        // the request timeout covers the headers only; the wait on the future bounds the body too
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(b.build(), LimitedBody.handler(MAX_BODY));
        try {
            HttpResponse<byte[]> r = pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (auth && (r.statusCode() == 401 || r.statusCode() == 403)) {
                throw new RedfishException(config.base() + path + ": credentials refused for user '" + config.username() + "' (HTTP "
                        + r.statusCode() + ")", r.statusCode());
            }
            return r;
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new RedfishException("interrupted", e);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new RedfishException(config.base() + path + ": no complete answer within " + wait.toMillis() + " ms", TIMED_OUT);
        } catch (ExecutionException e) {
            throw failure(path, e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    /** Status of a request that ran out of time (per request or the client's deadline). */
    public static final int TIMED_OUT = -3;

    /** The wait for the next request: the configured timeout, cut to what is left before the deadline. */
    private Duration remaining() throws RedfishException {
        if (deadline.equals(Instant.MAX)) {
            return config.timeout();
        }
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.toMillis() < 1) {
            throw new RedfishException(config.base() + ": deadline for this BMC passed; stopped asking", TIMED_OUT);
        }
        return left.compareTo(config.timeout()) < 0 ? left : config.timeout();
    }

    private RedfishException failure(String path, IOException e) {
        if (e instanceof RedfishException re) {
            return re;
        }
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof javax.net.ssl.SSLException)) {
            c = c.getCause();
        }
        if (c instanceof javax.net.ssl.SSLException) {
            return new RedfishException(config.base() + ": TLS failed (" + c.getMessage()
                    + "); pin the BMC certificate's SHA-256 fingerprint or pass --insecure", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new RedfishException(config.base() + path + ": " + e.getMessage(), TIMED_OUT);
        }
        return new RedfishException(config.base() + path + ": " + e, e);
    }

    /** Deletes the session (BMCs allow few) and releases the HTTP client. */
    @Override
    public void close() {
        try {
            if (token != null && sessionPath != null) {
                raw("DELETE", sessionPath, null, true);
            }
        } catch (IOException e) {
            log.debug("{}: logout: {}", config.base(), e.getMessage());
        } finally {
            token = null;
            http.close();
        }
    }
}
