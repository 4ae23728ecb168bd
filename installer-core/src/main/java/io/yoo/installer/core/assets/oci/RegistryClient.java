package io.yoo.installer.core.assets.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.assets.fetch.FetchException;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.verify.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull-only client of the OCI distribution API ({@code /v2/<name>/manifests|blobs/<ref>}), on
 * {@link HttpURLConnection} like {@code HttpFetcher} so it goes through the same HTTP or SOCKS5
 * proxy and trusts the same CAs.
 *
 * <ul>
 *   <li>Auth: anonymous Bearer tokens. A {@code 401} with {@code WWW-Authenticate: Bearer realm=,service=,scope=}
 *       makes it ask the realm for a pull token (the challenge's pull scope, else the repository's),
 *       once, then repeat the request.
 *   <li>Redirects are followed by hand (at most 5, http/https only, never https→http); the token
 *       goes only to the scheme://host:port that challenged for it (the registry, or the regional
 *       host it redirects to), never to another host such as the CDN a blob redirects to.
 *   <li>Bounds: manifests and token answers are read up to a fixed size; a blob is never read past
 *       the size its descriptor states; connect and read timeouts on every request.
 *   <li>Blobs are hashed while streaming and accepted only if size and SHA-256 match the
 *       descriptor; an interrupted blob continues with {@code Range} from the bytes on disk.
 * </ul>
 */
public final class RegistryClient {
    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_TOKEN = 64 << 10;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern AUTH_PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");
    private static final Pattern PULL_SCOPE = Pattern.compile("repository:[a-z0-9._/-]{1,255}:pull");
    /** What a token may look like before it goes into a header. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,8192}");

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private final ProxySettings proxy;
    private final SSLContext tls;
    private final Duration timeout;
    private final int attempts;
    /** Pull tokens by registry base + repository. */
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();

    /** A manifest or index exactly as served, with its verified digest. */
    public record Manifest(byte[] body, String mediaType, String digest) {
        public JsonNode json() throws VerificationException {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new VerificationException("manifest " + digest + " is not JSON: " + e.getMessage());
            }
        }

        public boolean isIndex() {
            return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
        }
    }

    /** @param tls trust for HTTPS registries, or null for the JDK defaults */
    public RegistryClient(ProxySettings proxy, SSLContext tls, Duration timeout, int attempts) {
        this.proxy = proxy;
        this.tls = tls;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
    }

    public static boolean isDigest(String s) {
        return DIGEST.matcher(s).matches();
    }

    /**
     * Fetches a manifest or index by tag or digest. By digest, the body must hash to it; by tag,
     * the digest is the body's SHA-256 (and must agree with {@code Docker-Content-Digest} if sent).
     */
    public Manifest manifest(URI base, String repository, String reference) throws IOException, VerificationException {
        URI url = URI.create(base + "/v2/" + repository + "/manifests/" + reference);
        HttpURLConnection c = send(base, repository, url, Map.of("Accept", ACCEPT));
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new FetchException(url + ": HTTP " + status, status);
            }
            byte[] body;
            try (InputStream in = c.getInputStream()) {
                body = in.readNBytes(MAX_MANIFEST);
                if (in.read() >= 0) {
                    throw new VerificationException(url + ": manifest larger than " + MAX_MANIFEST + " bytes");
                }
            }
            String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(body));
            if (isDigest(reference) && !reference.equals(digest)) {
                throw new VerificationException(url + ": manifest hashes to " + digest + ", not the digest asked for");
            }
            String sent = c.getHeaderField("Docker-Content-Digest");
            if (sent != null && isDigest(sent) && !sent.equals(digest)) {
                throw new VerificationException(url + ": manifest hashes to " + digest + " but the registry says " + sent);
            }
            String type = String.valueOf(c.getContentType()).split(";")[0].strip();
            JsonNode declared = JSON.readTree(body).path("mediaType");
            if (declared.isTextual()) {
                type = declared.asText();
            }
            return new Manifest(body, type, digest);
        } finally {
            c.disconnect();
        }
    }

    /**
     * Downloads blob {@code digest} of {@code size} bytes into {@code part}, continuing what is
     * already there; returns only if {@code part} then holds exactly the blob. On a digest or
     * size mismatch {@code part} is deleted and a {@link VerificationException} thrown.
     */
    public void blob(URI base, String repository, String digest, long size, Path part, String name, ProgressListener progress)
            throws IOException, VerificationException {
        if (!isDigest(digest)) {
            throw new VerificationException(repository + ": unsupported blob digest '" + digest + "' (sha256 only)");
        }
        Files.createDirectories(part.getParent());
        URI url = URI.create(base + "/v2/" + repository + "/blobs/" + digest);
        IOException last = null;
        String got = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                got = once(base, repository, url, size, part, name, progress);
                last = null;
                break;
            } catch (FetchException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                log.info("{}: transfer broke at attempt {} ({}); resuming", url, attempt, e.toString());
            }
        }
        if (last != null) {
            throw new FetchException(url + ": " + last.getMessage() + " (after " + attempts + " attempts)", last);
        }
        long have = Files.size(part);
        if (have != size || !digest.equals(got)) {
            Files.deleteIfExists(part);
            throw new VerificationException(repository + "@" + digest + ": received " + have + " bytes hashing to " + got
                    + ", not the " + size + " bytes of " + digest + " the manifest lists; refused");
        }
    }

    /** One request; returns the SHA-256 of the whole file: bytes kept from before, then the stream as it arrives. */
    private String once(URI base, String repository, URI url, long size, Path part, String name, ProgressListener progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > size) {
            Files.delete(part);
            have = 0;
        }
        MessageDigest md = sha256();
        if (have > 0) {
            try (InputStream in = Files.newInputStream(part)) {
                update(md, in);
            }
        }
        if (have == size && size > 0) {
            return hex(md); // complete from an earlier run
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (have > 0) {
            headers.put("Range", "bytes=" + have + "-");
        }
        HttpURLConnection c = send(base, repository, url, headers);
        try {
            int status = c.getResponseCode();
            boolean append;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                append = m.matches() && Long.parseLong(m.group(1)) == have;
            } else if (status == 200) {
                append = false;
            } else if (status == 416 && have > 0) {
                Files.delete(part); // our partial bytes do not fit this blob: start again
                throw new IOException("range not satisfiable; restarting");
            } else {
                throw new FetchException(url + ": HTTP " + status, status);
            }
            if (!append && status == 206) {
                Files.deleteIfExists(part);
                throw new IOException("registry answered a different range; restarting");
            }
            long start = append ? have : 0;
            if (!append) {
                md.reset();
            }
            progress.started(name, size, start);
            long written = start;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                int n;
                // never read past the descriptor's size: a registry cannot fill the disk
                while (written < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - written))) > 0) {
                    out.write(buf, 0, n);
                    md.update(buf, 0, n);
                    written += n;
                    progress.advanced(name, n);
                }
            }
            if (written != size) {
                throw new IOException("connection closed after " + written + " of " + size + " bytes");
            }
            return hex(md);
        } finally {
            c.disconnect();
        }
    }

    /**
     * Sends a GET, answering one Bearer challenge and following redirects; the returned
     * connection has its final response status.
     */
    private HttpURLConnection send(URI base, String repository, URI url, Map<String, String> headers) throws IOException {
        String key = base + "|" + repository;
        HttpURLConnection c = follow(url, headers, tokens.get(key));
        if (c.getResponseCode() == 401) {
            String challenge = c.getHeaderField("WWW-Authenticate");
            // the host that asked (registry.k8s.io redirects to a regional host, which may be the one asking)
            URI challenger = URI.create(c.getURL().toString());
            c.disconnect();
            if (challenge == null || !challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new FetchException(url + ": HTTP 401 and no Bearer challenge (" + challenge + "): registries that need credentials are not supported", 401);
            }
            Grant grant = new Grant(challenger, token(challenger, repository, challenge));
            tokens.put(key, grant);
            c = follow(url, headers, grant);
        }
        return c;
    }

    /** A pull token and the one origin (scheme://host:port) that asked for it and may see it. */
    private record Grant(URI origin, String token) {}

    private HttpURLConnection follow(URI url, Map<String, String> headers, Grant grant) throws IOException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(current);
            headers.forEach(c::setRequestProperty);
            if (grant != null && sameOrigin(grant.origin(), current)) {
                c.setRequestProperty("Authorization", "Bearer " + grant.token());
            }
            int status = c.getResponseCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return c;
            }
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (location == null) {
                throw new FetchException(current + ": HTTP " + status + " without Location", status);
            }
            URI next = current.resolve(location);
            if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())) {
                throw new FetchException(current + ": redirect to a non-HTTP URL refused", status);
            }
            if ("https".equals(current.getScheme()) && "http".equals(next.getScheme())) {
                throw new FetchException(current + ": redirect from https to http refused", status);
            }
            current = next;
        }
        throw new FetchException(url + ": more than " + MAX_REDIRECTS + " redirects", -1);
    }

    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    /**
     * Asks the challenge's realm for an anonymous pull token: for the scope the challenge names
     * if it is a pull scope, else for {@code repository}.
     */
    private String token(URI base, String repository, String challenge) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = AUTH_PARAM.matcher(challenge.substring(7));
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        URI realm;
        try {
            realm = URI.create(Objects.requireNonNull(p.get("realm"), "no realm"));
        } catch (RuntimeException e) {
            throw new FetchException(base + ": unusable Bearer challenge '" + challenge + "'", 401);
        }
        if (!"http".equals(realm.getScheme()) && !"https".equals(realm.getScheme()) || realm.getHost() == null) {
            throw new FetchException(base + ": token realm '" + realm + "' is not an http(s) URL", 401);
        }
        if ("https".equals(base.getScheme()) && "http".equals(realm.getScheme())) {
            throw new FetchException(base + ": token realm '" + realm + "' would downgrade https to http", 401);
        }
        StringBuilder q = new StringBuilder();
        if (p.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8));
        }
        String scope = p.getOrDefault("scope", "");
        if (!PULL_SCOPE.matcher(scope).matches()) {
            scope = "repository:" + repository + ":pull";
        }
        q.append(q.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI url = URI.create(realm + (realm.getRawQuery() == null ? "?" : "&") + q);
        HttpURLConnection c = follow(url, Map.of(), null);
        try {
            if (c.getResponseCode() != 200) {
                throw new FetchException(url + ": token request answered HTTP " + c.getResponseCode(), c.getResponseCode());
            }
            byte[] body;
            try (InputStream in = c.getInputStream()) {
                body = in.readNBytes(MAX_TOKEN);
            }
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (!TOKEN.matcher(token).matches()) {
                throw new FetchException(url + ": the token service sent no usable token", 401);
            }
            return token;
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(URI url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(proxy.toProxy());
        if (tls != null && c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.getSocketFactory());
        }
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestProperty("User-Agent", "yoo-installer");
        c.setRequestProperty("Accept-Encoding", "identity");
        return c;
    }

    private static long update(MessageDigest md, InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static String hex(MessageDigest md) {
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
