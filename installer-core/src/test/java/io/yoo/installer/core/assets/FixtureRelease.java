package io.yoo.installer.core.assets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import io.yoo.installer.core.assets.tar.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A release server for tests: the JDK's HTTP server on 127.0.0.1 (ephemeral port) serving a
 * fixture tree shaped like the real Flatcar / dl.k8s.io / GitHub release servers, signed with a
 * test key. Supports {@code Range}, can drop a connection mid-body once, and logs every request.
 */
public final class FixtureRelease implements AutoCloseable {
    public static final String CHANNEL = "stable";
    public static final String FLATCAR = "4081.2.0";
    public static final String K8S = "1.31.4";
    public static final String CNI = "1.6.2";
    public static final String CRICTL = "1.31.0";

    public record Request(String path, String range, String via) {}

    public final TestKeys key;
    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** path -> bytes after which the next GET of it is cut off (one-shot) */
    public final Map<String, Integer> dropOnce = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Random random = new Random(42);

    private final boolean tls;

    public FixtureRelease(TestKeys key) throws IOException {
        this(key, null);
    }

    /** @param tls serve HTTPS with this context (see {@link #selfSignedTls}), or plain HTTP if null */
    public FixtureRelease(TestKeys key, SSLContext tls) throws IOException {
        this.key = key;
        this.tls = tls != null;
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(addr, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(addr, 0);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        buildTree();
    }

    public String base() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A self-signed certificate for 127.0.0.1 made with the JDK's keytool; its PEM is written
     * to {@code dir/ca.pem} for the client to trust.
     */
    public static SSLContext selfSignedTls(Path dir) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path ks = dir.resolve("server.p12");
        run(keytool, "-genkeypair", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storepass", "changeit", "-storetype", "PKCS12");
        run(keytool, "-exportcert", "-rfc", "-alias", "srv", "-keystore", ks.toString(), "-storepass", "changeit", "-file", dir.resolve("ca.pem").toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public MirrorSources sources() {
        return new MirrorSources(base() + "/flatcar/{channel}/{arch}-usr/{version}/", base() + "/k8s/release/v{version}/bin/linux/{arch}/",
                base() + "/cni/v{version}/", base() + "/crictl/v{version}/", Optional.of(base() + "/images/"));
    }

    public SyncRequest request(Optional<String> flatcarVersion, List<String> images) {
        return new SyncRequest(Optional.of(CHANNEL), flatcarVersion, Optional.of(K8S), CNI, Optional.empty(), images, List.of(), "amd64");
    }

    public static String flatcarPath(String version, String file) {
        return "/flatcar/" + CHANNEL + "/amd64-usr/" + version + "/" + file;
    }

    public static String k8sPath(String file) {
        return "/k8s/release/v" + K8S + "/bin/linux/amd64/" + file;
    }

    private void buildTree() throws IOException {
        byte[] version = ("FLATCAR_BUILD=4081\nFLATCAR_BRANCH=2\nFLATCAR_PATCH=0\nFLATCAR_VERSION=" + FLATCAR + "\nFLATCAR_SDK_VERSION=4081.0.0\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (String v : List.of(FLATCAR, "current")) {
            signedFlatcar(v, "version.txt", version);
        }
        signedFlatcar(FLATCAR, "flatcar_production_pxe.vmlinuz", randomBytes(300_000));
        signedFlatcar(FLATCAR, "flatcar_production_pxe_image.cpio.gz", randomBytes(700_000));
        byte[] image = randomBytes(2_000_000);
        signedFlatcar(FLATCAR, "flatcar_production_image.bin.bz2", image);
        files.put(flatcarPath(FLATCAR, "flatcar_production_image.bin.bz2.DIGESTS"), (
                "# MD5 HASH\n" + hex("MD5", image) + "  flatcar_production_image.bin.bz2\n"
                + "# SHA1 HASH\n" + hex("SHA-1", image) + "  flatcar_production_image.bin.bz2\n"
                + "# SHA512 HASH\n" + hex("SHA-512", image) + "  flatcar_production_image.bin.bz2\n").getBytes(StandardCharsets.US_ASCII));
        for (String bin : List.of("kubeadm", "kubelet", "kubectl")) {
            byte[] b = randomBytes(400_000);
            files.put(k8sPath(bin), b);
            files.put(k8sPath(bin + ".sha256"), hex("SHA-256", b).getBytes(StandardCharsets.US_ASCII)); // bare digest, like dl.k8s.io
        }
        byte[] cni = randomBytes(250_000);
        String cniName = "cni-plugins-linux-amd64-v" + CNI + ".tgz";
        files.put("/cni/v" + CNI + "/" + cniName, cni);
        files.put("/cni/v" + CNI + "/" + cniName + ".sha256", (hex("SHA-256", cni) + "  " + cniName + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] crictlBinary = randomBytes(150_000);
        files.put("crictl-binary", crictlBinary); // not served (no leading slash): the expected extraction result
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(tgz)) {
            TarWriter t = new TarWriter(gz);
            t.add("crictl", crictlBinary, 1_700_000_000L);
            t.finish();
        }
        String crictlName = "crictl-v" + CRICTL + "-linux-amd64.tar.gz";
        files.put("/crictl/v" + CRICTL + "/" + crictlName, tgz.toByteArray());
        files.put("/crictl/v" + CRICTL + "/" + crictlName + ".sha256", hex("SHA-256", tgz.toByteArray()).getBytes(StandardCharsets.US_ASCII));
        byte[] pause = randomBytes(120_000);
        files.put("/images/pause-3.10.tar", pause);
        files.put("/images/pause-3.10.tar.sha256", (hex("SHA-256", pause) + "  pause-3.10.tar\n").getBytes(StandardCharsets.US_ASCII));
    }

    void signedFlatcar(String version, String name, byte[] content) {
        files.put(flatcarPath(version, name), content);
        files.put(flatcarPath(version, name + ".sig"), key.sign(content));
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    public static String hex(String alg, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public long countGets(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range, ex.getRequestHeaders().getFirst("Via")));
        byte[] body = files.get(path);
        if (body == null || !path.startsWith("/")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        int from = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= body.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        Integer drop = dropOnce.remove(path);
        OutputStream out = ex.getResponseBody();
        if (drop != null) {
            out.write(body, from, Math.min(drop, body.length - from));
            out.flush();
            // cut the connection mid-body, as a flaky firewall or proxy does: the JDK server
            // closes the connection of a handler that throws
            throw new IOException("fixture: dropping the connection after " + drop + " bytes");
        }
        out.write(body, from, body.length - from);
        out.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
