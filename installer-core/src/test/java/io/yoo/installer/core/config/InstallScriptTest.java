package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The install script, for real: checked by {@code sh -n} and shellcheck, then run under busybox
 * against a local HTTP server that serves the assets (a small ext2 "Flatcar image", a fake
 * Kubernetes bundle, the flatcar-install test fixture) and records the progress callbacks. The
 * "disk" is an image file, and the script runs in its own mount and PID namespace, so its
 * mounts stay private and its final {@code reboot} only reaches the namespace's init: the
 * script itself, which ignores the signal.
 */
class InstallScriptTest {
    static final String MACHINE = "core-1";
    static final String K8S = "1.31.2";
    static final String OS = "4081.2.0";
    static final ObjectMapper JSON = new ObjectMapper();
    static ClusterSecrets secrets;
    static final MachineTokens TOKENS = new MachineTokens(MachineTokens.newSecret());

    @TempDir
    Path dir;
    HttpServer server;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> eventTokens = Collections.synchronizedList(new ArrayList<>());
    /** Install logs the script uploaded: content type, token, body as sent. */
    final List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());

    record Upload(String contentType, String token, byte[] body) {
        /** The log as text: gunzipped when sent as gzip. */
        String text() throws IOException {
            if (contentType.equals("application/gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    static void secrets() {
        secrets = new SecretsGenerator().generate();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static Stream<Arguments> everyScript() {
        List<Arguments> a = new ArrayList<>();
        for (Architecture arch : Architecture.values()) {
            for (ConfigDialect d : ConfigDialect.values()) {
                a.add(Arguments.of(arch, d));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyScript")
    void renderedScriptsPassShNAndShellcheck(Architecture arch, ConfigDialect dialect) throws Exception {
        Peers.requireCommands("sh", "shellcheck", "busybox");
        ClusterDescriptor c = ConfigFixtures.cluster(arch, dialect, "/dev/sda", dir);
        ClusterConfigArtifacts a = new ClusterConfigArtifacts(c, new BootUrls("http://10.12.0.1:8080"), TOKENS, secrets, Templates.builtIn());
        for (Machine m : c.machines()) {
            Path script = dir.resolve(m.name() + ".sh");
            Files.writeString(script, a.render(m.name(), ArtifactKind.INSTALL_SCRIPT).orElseThrow().text());
            assertThat(run(30, "sh", "-n", script.toString()).exit).isZero();
            assertThat(run(30, "busybox", "sh", "-n", script.toString()).exit).isZero();
            Result sc = run(60, "shellcheck", "-s", "sh", script.toString());
            assertThat(sc.exit).as(sc.output).isZero();
        }
    }

    @Test
    void helperScriptsInsideTheConfigsPassShellcheck() throws Exception {
        Peers.requireCommands("shellcheck");
        Set<String> scripts = new LinkedHashSet<>();
        for (Architecture arch : List.of(Architecture.PRODUCTION, Architecture.SMALL)) {
            ClusterDescriptor c = ConfigFixtures.cluster(arch, ConfigDialect.IGNITION, "/dev/sda", dir);
            ClusterConfigArtifacts a = new ClusterConfigArtifacts(c, new BootUrls("http://10.12.0.1:8080"), TOKENS, secrets, Templates.builtIn());
            for (Machine m : c.machines()) {
                for (ArtifactKind k : List.of(ArtifactKind.LIVE_CONFIG, ArtifactKind.INSTALLED_CONFIG)) {
                    ClusterConfigArtifactsTest.files(a.render(m.name(), k).orElseThrow().text(), ConfigDialect.IGNITION).values().stream()
                            .filter(t -> t.startsWith("#!/bin/sh")).forEach(scripts::add);
                }
            }
        }
        assertThat(scripts.size()).isGreaterThanOrEqualTo(6); // run-install, report-running, preload, kubeadm-up x2, apply-cni
        int i = 0;
        for (String text : scripts) {
            Path f = dir.resolve("helper-" + i++ + ".sh");
            Files.writeString(f, text);
            Result sc = run(60, "shellcheck", "-s", "sh", f.toString());
            assertThat(sc.exit).as(text + "\n" + sc.output).isZero();
        }
    }

    @Test
    void flatcarInstallFixturePassesShellcheck() throws Exception {
        Peers.requireCommands("shellcheck");
        Path fixture = dir.resolve("flatcar-install");
        copyResource("e2e-assets/tools/flatcar-install", fixture);
        Result sc = run(60, "shellcheck", "-s", "sh", fixture.toString());
        assertThat(sc.exit).as(sc.output).isZero();
    }

    @Test
    void installsToAFakeDiskReportingEveryPhaseInOrder() throws Exception {
        requirePeers();
        Path disk = prepare(ConfigDialect.IGNITION, false);
        String config = renderInstalledConfig(disk);
        Result r = runScript(disk);

        assertThat(phases()).as(r.output).containsExactly(
                "time-sync:started", "time-sync:succeeded",
                "fetch-config:started", "fetch-config:succeeded",
                "install-os:started", "install-os:succeeded",
                "kubernetes-bundle:started", "kubernetes-bundle:succeeded",
                "finalize:started", "finalize:succeeded",
                "installed:succeeded");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(eventTokens).containsOnly(TOKENS.tokenFor(MACHINE));
        // the test clock is the server's: time-sync must leave it alone (and never step the host's)
        assertThat(r.output).contains("time-sync| clock is within").contains("left alone")
                .contains("install-os| flatcar-install is not in this live system; fetching it from the server")
                .contains("install-os| image checksum verified")
                .contains("kubernetes-bundle| bin/kubelet: OK")
                .contains("installed; rebooting");
        assertThat(JSON.readTree(events.getLast()).get("message").asText()).contains("Flatcar " + OS, "Kubernetes " + K8S);

        // what the installed root holds: the bundle, verified; the config where Flatcar reads it
        assertThat(debugfsCat(disk, "/opt/bin/kubeadm")).contains("fake kubeadm " + K8S);
        assertThat(debugfsCat(disk, "/opt/bin/kubelet")).contains("fake kubelet " + K8S);
        assertThat(debugfsCat(disk, "/opt/cni/bin/bridge")).contains("fake cni bridge");
        assertThat(debugfsCat(disk, "/opt/yoo/images/pause.tar")).contains("fake image pause");
        assertThat(debugfsCat(disk, "/oem/config.ign")).isEqualTo(config);
        assertThat(debugfsCat(disk, "/etc/yoo/installed")).contains("machine=core-1", "flatcar=stable/" + OS);

        // the whole log went to the server once, with the machine's token; busybox wget cannot
        // post binary, so as text
        assertThat(uploads).hasSize(1);
        Upload log = uploads.getFirst();
        assertThat(log.token()).isEqualTo(TOKENS.tokenFor(MACHINE));
        assertThat(log.contentType()).isEqualTo("text/plain");
        assertThat(log.text()).contains("yoo[core-1]: install of core-1 started", "yoo[core-1]: time-sync: started",
                "time-sync| clock is within", "install-os| image checksum verified", "kubernetes-bundle| bin/kubelet: OK",
                "finalize| installed system finalized and unmounted", "yoo[core-1]: installed; rebooting");
    }

    @Test
    void aFailedInstallUploadsItsWholeLogGzippedWhenCurlCanPostBinary() throws Exception {
        requirePeers();
        Peers.requireCommands("curl", "gzip");
        Path disk = prepare(ConfigDialect.IGNITION, false);
        // an installer that fails after a lot of output: more than the 15-line tail of the failed event
        Files.writeString(dir.resolve("assets/tools/flatcar-install"),
                "#!/bin/sh\ni=0\nwhile [ $i -lt 200 ]; do echo \"writing block $i\"; i=$((i + 1)); done\necho 'dd: No space left on device'\nexit 5\n");
        renderInstalledConfig(disk);
        Path curlOnly = Files.createDirectories(dir.resolve("curl-bin"));
        Files.createSymbolicLink(curlOnly.resolve("curl"), Peers.which("curl"));
        Result r = runScript(disk, busyboxOnlyPath() + ":" + curlOnly);

        assertThat(r.exit).as(r.output).isNotZero();
        assertThat(phases()).as(r.output).endsWith("install-os:started", "install-os:failed");
        assertThat(uploads).as(r.output).hasSize(1);
        Upload log = uploads.getFirst();
        assertThat(log.contentType()).isEqualTo("application/gzip");
        assertThat(log.body()[0] & 0xff).isEqualTo(0x1f);
        assertThat(log.token()).isEqualTo(TOKENS.tokenFor(MACHINE));
        String text = log.text();
        assertThat(text).contains("time-sync| clock is within", "install-os| writing block 0", "install-os| writing block 199",
                "install-os| dd: No space left on device", "yoo[core-1]: install-os: FAILED (exit 5); not rebooting");
        assertThat(JSON.readTree(events.getLast()).get("message").asText()).doesNotContain("writing block 0\n");
    }

    @Test
    void cloudConfigGoesWhereCoreosCloudinitReadsIt() throws Exception {
        requirePeers();
        Path disk = prepare(ConfigDialect.CLOUD_CONFIG, false);
        String config = renderInstalledConfig(disk);
        Result r = runScript(disk);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(phases()).last().isEqualTo("installed:succeeded");
        assertThat(debugfsCat(disk, "/var/lib/flatcar-install/user_data")).isEqualTo(config);
    }

    @Test
    void aChecksumMismatchReportsFailedWithTheStepAndNeverInstalled() throws Exception {
        requirePeers();
        Path disk = prepare(ConfigDialect.IGNITION, true);
        renderInstalledConfig(disk);
        Result r = runScript(disk);

        assertThat(r.exit).as(r.output).isNotZero();
        List<String> phases = phases();
        assertThat(phases).as(r.output).endsWith("kubernetes-bundle:started", "kubernetes-bundle:failed")
                .doesNotContain("installed:succeeded", "finalize:started");
        JsonNode failed = JSON.readTree(events.getLast());
        assertThat(failed.get("phase").asText()).isEqualTo("kubernetes-bundle");
        assertThat(failed.get("message").asText()).contains("step kubernetes-bundle failed").contains("bin/kubelet").contains("FAILED");
        assertThat(r.output).contains("not rebooting");
    }

    @Test
    void aFailingInstallerReportsItsOutputAsValidJson() throws Exception {
        requirePeers();
        Path disk = prepare(ConfigDialect.IGNITION, false);
        // an installer that fails with output full of JSON metacharacters
        Files.writeString(dir.resolve("assets/tools/flatcar-install"),
                "#!/bin/sh\nprintf 'quote \" backslash \\\\ tab \\t end\\n'\necho 'second line'\nexit 3\n");
        renderInstalledConfig(disk);
        Result r = runScript(disk);

        assertThat(r.exit).as(r.output).isNotZero();
        assertThat(phases()).as(r.output).endsWith("install-os:started", "install-os:failed").doesNotContain("installed:succeeded");
        String message = JSON.readTree(events.getLast()).get("message").asText();
        assertThat(message).contains("step install-os failed (exit 3").contains("quote \" backslash \\ tab \t end\nsecond line");
    }

    @Test
    void aHangingStepIsKilledAtItsLimitAndReportedFailed() throws Exception {
        requirePeers();
        limits = new StepLimits(60, 3, 600, 600, 60);
        hangConfig = true;
        Path disk = prepare(ConfigDialect.IGNITION, false);
        renderInstalledConfig(disk);
        long start = System.nanoTime();
        Result r = runScript(disk);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(r.exit).as(r.output).isNotZero();
        assertThat(phases()).as(r.output).containsExactly("time-sync:started", "time-sync:succeeded",
                "fetch-config:started", "fetch-config:failed");
        assertThat(JSON.readTree(events.getLast()).get("message").asText()).contains("step fetch-config failed").contains("limit 3s");
        assertThat(seconds).as("killed at the limit, not after the 30 s hang").isLessThan(25);
    }

    // ---- the world the script runs in --------------------------------------------------------

    static void requirePeers() {
        Peers.requireRoot();
        Peers.requireCommands("busybox", "unshare", "debugfs", "mount");
        Peers.require(Files.exists(Path.of("/dev/loop-control")), "loop devices (/dev/loop-control) for mounting the disk image");
    }

    ClusterDescriptor cluster(ConfigDialect dialect, Path disk) {
        return ConfigFixtures.cluster(Architecture.DEV, dialect, disk.toString(), dir);
    }

    ConfigDialect dialect;
    ClusterConfigArtifacts artifacts;
    StepLimits limits = StepLimits.DEFAULT;
    volatile boolean hangConfig;

    /** Builds the asset tree, starts the server; returns the disk image path. */
    Path prepare(ConfigDialect dialect, boolean corruptBundle) throws Exception {
        this.dialect = dialect;
        Path assets = dir.resolve("assets");
        E2eAssets.write(assets, "stable", OS, K8S, corruptBundle);
        Path disk = dir.resolve("disk.img");
        E2eAssets.sparse(disk, 4 * E2eAssets.IMAGE_BYTES);
        startServer(assets);
        return disk;
    }

    String renderedConfig;

    String renderInstalledConfig(Path disk) {
        renderedConfig = artifacts(disk).render(MACHINE, ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        return renderedConfig;
    }

    ClusterConfigArtifacts artifacts(Path disk) {
        if (artifacts == null) {
            BootUrls urls = new BootUrls("http://127.0.0.1:" + server.getAddress().getPort());
            artifacts = new ClusterConfigArtifacts(cluster(dialect, disk), urls, TOKENS, secrets, Templates.builtIn(), limits);
        }
        return artifacts;
    }

    void startServer(Path assets) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        String token = TOKENS.tokenFor(MACHINE);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                if (ex.getRequestMethod().equals("POST") && path.equals("/api/v1/machines/" + MACHINE + "/events")) {
                    events.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String q = ex.getRequestURI().getQuery();
                    eventTokens.add(q != null && q.startsWith("token=") ? q.substring(6) : "");
                    respond(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
                } else if (ex.getRequestMethod().equals("POST") && path.equals("/api/v1/machines/" + MACHINE + "/log")) {
                    String q = ex.getRequestURI().getQuery();
                    uploads.add(new Upload(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")),
                            q != null && q.startsWith("token=") ? q.substring(6) : "", ex.getRequestBody().readAllBytes()));
                    respond(ex, 200, "{}".getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/m/" + MACHINE + "/" + token + "/config")) {
                    if (hangConfig) {
                        sleep(30_000);
                    }
                    respond(ex, 200, renderedConfig.getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/m/" + MACHINE + "/" + token + "/install.sh")) {
                    respond(ex, 200, Files.readAllBytes(dir.resolve("install.sh")));
                } else if (path.startsWith("/assets/")) {
                    Path f = assets.resolve(path.substring("/assets/".length())).normalize();
                    if (f.startsWith(assets) && Files.isRegularFile(f)) {
                        respond(ex, 200, Files.readAllBytes(f));
                    } else {
                        respond(ex, 404, new byte[0]);
                    }
                } else {
                    respond(ex, 404, new byte[0]);
                }
            }
        });
        // one thread per request: a hanging download must not hold up the progress callbacks
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    Result runScript(Path disk) throws Exception {
        return runScript(disk, busyboxOnlyPath().toString());
    }

    Result runScript(Path disk, String path) throws Exception {
        Path script = dir.resolve("install.sh");
        Files.writeString(script, artifacts(disk).render(MACHINE, ArtifactKind.INSTALL_SCRIPT).orElseThrow().text());
        // own mount namespace (the loop mounts stay private) and PID namespace (reboot cannot reach the host)
        return runWithPath(path, 240, Peers.which("unshare").toString(), "--fork", "--pid", "--mount", "--mount-proc",
                "--propagation", "private", Peers.which("busybox").toString(), "sh", script.toString());
    }

    /**
     * A PATH holding nothing but busybox applets, like the e2e test OS: no blkid, no bash, no
     * GNU tools, so the script and the flatcar-install fixture are tested with what they will have.
     */
    static synchronized Path busyboxOnlyPath() throws Exception {
        // under target/, not the JUnit temp dir: JUnit warns about every symlink it deletes there
        Path bin = Files.createDirectories(Path.of("target", "busybox-bin").toAbsolutePath());
        Path busybox = Peers.which("busybox");
        for (String applet : run(30, busybox.toString(), "--list").output.split("\\s+")) {
            if (!applet.isBlank() && !Files.exists(bin.resolve(applet))) {
                Files.createSymbolicLink(bin.resolve(applet), busybox);
            }
        }
        assertThat(bin.resolve("blkid")).doesNotExist();
        return bin;
    }

    List<String> phases() throws IOException {
        List<String> out = new ArrayList<>();
        for (String e : List.copyOf(events)) {
            JsonNode n = JSON.readTree(e);
            out.add(n.get("phase").asText() + ":" + n.get("status").asText());
        }
        return out;
    }

    static String debugfsCat(Path image, String path) throws Exception {
        Result r = run(30, "debugfs", "-R", "cat " + path, image.toString());
        check(r);
        // debugfs prints its banner on stderr, merged here: drop it
        return r.output.replaceFirst("(?s)^debugfs [^\n]*\n", "");
    }

    static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = InstallScriptTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            Files.copy(in, to);
        }
    }

    record Result(int exit, String output) {}

    static void check(Result r) {
        assertThat(r.exit).as(r.output).isZero();
    }

    static Result run(int timeoutSeconds, String... cmd) throws Exception {
        return runWithPath(null, timeoutSeconds, cmd);
    }

    static Result runWithPath(String path, int timeoutSeconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (path != null) {
            pb.environment().put("PATH", path);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(2000);
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd) + "\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        reader.join();
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }
}
