package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.assets.AssetStore;
import io.yoo.installer.core.assets.verify.Digests;
import io.yoo.installer.testsupport.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetsTest {
    @TempDir
    Path dir;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private void start() throws Exception {
        s = new TestServer(dir);
    }

    @Test
    void servesFilesWithRangeEtagLastModifiedAndHead() throws Exception {
        Peers.requireCommands("curl");
        start();
        Path f = s.assetDir.resolve("flatcar/stable/4081.2.0/version.txt");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "FLATCAR_VERSION=4081.2.0\n");
        String url = s.base() + "/assets/flatcar/stable/4081.2.0/version.txt";

        assertThat(TestServer.curl(url).text()).isEqualTo("FLATCAR_VERSION=4081.2.0\n");
        assertThat(TestServer.curl("-r", "8-14", url).text()).isEqualTo("VERSION");

        TestServer.Curl head = TestServer.curl("-I", url);
        assertThat(head.text()).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 25")
                .containsIgnoringCase("accept-ranges: bytes").containsIgnoringCase("last-modified:");
        String etag = head.text().lines().filter(l -> l.toLowerCase().startsWith("etag:")).findFirst().orElseThrow().substring(5).strip();

        TestServer.Curl notModified = TestServer.curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag, url);
        assertThat(notModified.text()).isEqualTo("304");
        HttpResponse<String> ims = s.client.send(HttpRequest.newBuilder(URI.create(url))
                .header("If-Modified-Since", head.text().lines().filter(l -> l.toLowerCase().startsWith("last-modified:"))
                        .findFirst().orElseThrow().substring(14).strip()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ims.statusCode()).isEqualTo(304);
    }

    @Test
    void noPathEscape() throws Exception {
        Peers.requireCommands("curl");
        start();
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        Files.writeString(s.stateDir.resolve("x"), "TOP SECRET");
        Files.createSymbolicLink(s.assetDir.resolve("link"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(s.assetDir.resolve("dirlink"), dir);
        for (String p : List.of("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/..%2fsecret.txt",
                "/assets/%2e%2e%2fsecret.txt", "/assets/link", "/assets/dirlink/secret.txt", "/assets/../state/x",
                "/assets//../secret.txt", "/assets/.%2e/secret.txt", "/assets/%252e%252e/secret.txt")) {
            TestServer.Curl c = TestServer.curl("--path-as-is", "-w", "\n%{http_code}", s.base() + p);
            assertThat(c.text()).as(p).doesNotContain("TOP SECRET");
            String code = c.text().substring(c.text().lastIndexOf('\n') + 1);
            assertThat(code).as(p).isIn("400", "403", "404");
        }
        // directories are not listed
        Files.createDirectories(s.assetDir.resolve("kubernetes"));
        assertThat(TestServer.curl("-o", "/dev/null", "-w", "%{http_code}", s.base() + "/assets/kubernetes/").text()).isIn("403", "404");
    }

    @Test
    void onlyServablePathsAreServed() throws Exception {
        s = new TestServer(dir, Function.identity(), sv -> sv.withServableAsset(p -> p.endsWith(".verified")), TestServer.MACHINES);
        Files.writeString(s.assetDir.resolve("a.verified"), "good");
        Files.writeString(s.assetDir.resolve("b.partial"), "half");
        assertThat(s.get("/assets/a.verified").body()).isEqualTo("good");
        assertThat(s.get("/assets/b.partial").statusCode()).isEqualTo(404);
    }

    /**
     * A verified file that changed on disk is refused (404): the server log names the file, the
     * client and both digests, and the "failed" event the machine reports next carries the same.
     */
    @Test
    void aRefusedAssetIsLoggedAndNamedInTheMachinesFailure() throws Exception {
        Path assets = Files.createDirectories(dir.resolve("assets"));
        AssetStore store = new AssetStore(assets);
        Path download = dir.resolve("download");
        Files.writeString(download, "verified kernel");
        store.install(download, "flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz", "test", "sha256");
        String verified = Digests.sha256(assets.resolve("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz"));
        AssetCatalog catalog = store.catalog();
        s = new TestServer(dir, Function.identity(), sv -> sv.withAssetGate(catalog::refusal), TestServer.MACHINES);
        // the TestServer serves its own asset dir: point the catalog's files there
        Path served = s.assetDir.resolve("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz");
        assertThat(s.assetDir).isEqualTo(assets);
        assertThat(s.get("/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz").body()).isEqualTo("verified kernel");

        Files.writeString(served, "tampered kernel"); // same size, other bytes, new mtime
        Files.setLastModifiedTime(served, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        String actual = Digests.sha256(served);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            assertThat(s.get("/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz").statusCode()).isEqualTo(404);
        } finally {
            System.setErr(stderr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("404 /assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz"
                + " to 127.0.0.1 (node-a): changed since it was verified: sha256 " + actual + ", verified " + verified);

        String token = s.tokens.tokenFor("node-a");
        assertThat(s.postEvent("node-a", token, "{\"phase\":\"install-os\",\"status\":\"failed\",\"message\":"
                + "\"download failed: http://x/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz\"}").statusCode()).isEqualTo(200);
        String message = s.store.history("node-a", 10).stream().map(e -> e.message().orElse("")).filter(m -> m.startsWith("download failed"))
                .findFirst().orElseThrow();
        assertThat(message).isEqualTo("download failed: http://x/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz;"
                + " the server refused assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz: changed since it was verified: sha256 "
                + actual + ", verified " + verified);
    }

    @Test
    void assetsAtRootServesPlainPathsButEndpointsKeepPriority() throws Exception {
        s = new TestServer(dir, c -> c.withAssetsAtRoot(true), Function.identity(), TestServer.MACHINES);
        Files.writeString(s.assetDir.resolve("small.txt"), "small");
        Files.writeString(s.assetDir.resolve("healthz"), "shadow");
        assertThat(s.get("/small.txt").body()).isEqualTo("small");
        assertThat(s.get("/assets/small.txt").body()).isEqualTo("small");
        assertThat(s.get("/healthz").body()).isEqualTo("ok\n");
        assertThat(s.get("/missing.txt").statusCode()).isEqualTo(404);
        assertThat(s.get("/..%2fstate/admin-token").statusCode()).isIn(400, 404);
    }

    /** A sparse 4 GiB + 1 MiB file: served by streaming from disk, ranges beyond 4 GiB work. */
    @Test
    void filesOverFourGibStreamAndRangeBeyondTheFourGibMark() throws Exception {
        Peers.requireCommands("curl");
        start();
        Path big = s.assetDir.resolve("big.img");
        long size = (4L << 30) + (1 << 20);
        byte[] marker = "END-OF-BIG-FILE".getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(size);
            raf.seek(size - marker.length);
            raf.write(marker);
            raf.seek((4L << 30) + 5);
            raf.write("past4g".getBytes(StandardCharsets.US_ASCII));
        }
        String url = s.base() + "/assets/big.img";
        assertThat(TestServer.curl("-I", url).text()).containsIgnoringCase("content-length: " + size);
        assertThat(TestServer.curl("-r", ((4L << 30) + 5) + "-" + ((4L << 30) + 10), url).text()).isEqualTo("past4g");
        assertThat(TestServer.curl("-r", "-" + marker.length, url).text()).isEqualTo("END-OF-BIG-FILE");
        // a full download of the last 64 MiB via an open-ended range (bounded test time)
        TestServer.Curl tail = TestServer.curl("-o", "/dev/null", "-w", "%{size_download}", "-r", (size - (64L << 20)) + "-", url);
        assertThat(tail.text()).isEqualTo(String.valueOf(64L << 20));
    }

    /**
     * Files from 1 MiB up are sent by FileRegionWriter: with sendfile (16 MiB windows) on a plain
     * connection, from mapped 2 MiB windows when the bytes pass through Jetty (a multi-range
     * body). A file spanning several windows with a partial last one arrives intact, whole (curl),
     * as a single range (RangeSender), as a range Jetty serves (If-Range) and as a multi-range
     * body, each crossing a window boundary; the whole download and the single range went through
     * sendfile, as the metric shows.
     */
    @Test
    void largeFilesArriveIntactWithSendfileAndMappedWindows() throws Exception {
        Peers.requireCommands("curl");
        start();
        byte[] data = new byte[(9 << 20) + 123];
        new Random(42).nextBytes(data);
        Files.write(s.assetDir.resolve("image.bin"), data);
        String url = s.base() + "/assets/image.bin";

        TestServer.Curl whole = TestServer.curl(url);
        assertThat(whole.exit()).isZero();
        assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(whole.out()))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(sendfileBytes()).isEqualTo(data.length);

        int start = (16 << 20) > data.length ? (1 << 20) + 7 : 0;
        byte[] single = TestServer.curl("-r", start + "-", url).out();
        assertThat(single).isEqualTo(Arrays.copyOfRange(data, start, data.length));
        assertThat(sendfileBytes()).isEqualTo(data.length + (long) (data.length - start));

        String etag = TestServer.curl("-I", url).text().lines().filter(l -> l.toLowerCase().startsWith("etag:"))
                .findFirst().orElseThrow().substring(5).strip();
        int from = (4 << 20) - 10;
        byte[] ranged = TestServer.curl("-H", "If-Range: " + etag, "-r", from + "-" + (from + 19), url).out();
        assertThat(ranged).isEqualTo(Arrays.copyOfRange(data, from, from + 20));

        String multi = new String(TestServer.curl("-r", "0-3," + ((8 << 20) - 2) + "-" + ((8 << 20) + 1), url).out(), StandardCharsets.ISO_8859_1);
        assertThat(multi).contains(new String(data, 0, 4, StandardCharsets.ISO_8859_1))
                .contains(new String(data, (8 << 20) - 2, 4, StandardCharsets.ISO_8859_1));
    }

    /**
     * Clients that give up mid-download (a PXE client reset, curl timing out) leave no open file
     * and no mapping of the image behind: the failed write closes the channel and unmaps the
     * window, whether it failed inside sendfile or while waiting for the socket to drain.
     */
    @Test
    void abortedDownloadsLetGoOfTheFile() throws Exception {
        Peers.requireCommands("curl");
        start();
        Path image = s.assetDir.resolve("aborted.img");
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw")) {
            raf.setLength(256L << 20);
        }
        String url = s.base() + "/assets/aborted.img";
        Path real = image.toRealPath();
        for (int i = 0; i < 4; i++) {
            TestServer.Curl cut = TestServer.curl("-o", "/dev/null", "--limit-rate", "8M", "--max-time", "1", url);
            assertThat(cut.exit()).as("curl stopped by --max-time").isEqualTo(28);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((openDescriptors(real) > 0 || mappings(real) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(openDescriptors(real)).as("open descriptors of the image").isZero();
        assertThat(mappings(real)).as("mappings of the image").isZero();
        assertThat(TestServer.curl("-o", "/dev/null", "-w", "%{size_download}", url).text()).isEqualTo(String.valueOf(256L << 20));
    }

    private static long openDescriptors(Path file) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    private static long mappings(Path file) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + file)).count();
    }

    /** {@code yoo_http_sendfile_bytes_total} from the server's own /metrics. */
    private long sendfileBytes() throws Exception {
        String metrics = TestServer.curl(s.base() + "/metrics").text();
        return metrics.lines().filter(l -> l.startsWith("yoo_http_sendfile_bytes_total ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).orElseThrow();
    }
}
