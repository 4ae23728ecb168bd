package io.yoo.installer.core.assets.oci;

import io.yoo.installer.testsupport.LoopbackDaemon;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (CNCF distribution) on 127.0.0.1 and a free port, with its
 * own config and storage in a temp dir; images built offline with {@code umoci} from the
 * busybox-static binary and pushed with {@code skopeo copy}. Public so the bench can use it.
 */
public final class RegistryPeer implements AutoCloseable {
    private final LoopbackDaemon daemon;
    private final Path storage;
    private final Path dir;

    private RegistryPeer(LoopbackDaemon daemon, Path storage, Path dir) {
        this.daemon = daemon;
        this.storage = storage;
        this.dir = dir;
    }

    public static void requirePeers() {
        Peers.requireCommands("docker-registry", "skopeo", "umoci", "busybox");
    }

    public static RegistryPeer start(Path dir) throws Exception {
        requirePeers();
        Path storage = dir.resolve("storage");
        Files.createDirectories(storage);
        Path config = dir.resolve("registry.yml");
        LoopbackDaemon d = LoopbackDaemon.start("docker-registry", port -> {
            Files.writeString(config, String.join("\n",
                    "version: 0.1",
                    "log: {level: warn}",
                    "storage:",
                    "  filesystem: {rootdirectory: " + storage + "}",
                    "  delete: {enabled: true}",
                    "http:",
                    "  addr: 127.0.0.1:" + port,
                    ""));
            return new ProcessBuilder(Peers.which("docker-registry").toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        }, () -> Files.readString(dir.resolve("registry.log")));
        return new RegistryPeer(d, storage, dir);
    }

    public int port() {
        return daemon.port();
    }

    public String hostPort() {
        return "127.0.0.1:" + daemon.port();
    }

    /**
     * Builds an OCI image layout at {@code layout} with tag {@code tag}: busybox-static at
     * /bin/busybox plus {@code extraBytes} of pseudo-random data (distinct per {@code seed}),
     * for {@code arch}.
     */
    public static void buildImage(Path layout, String tag, String arch, long extraBytes, long seed) throws IOException, InterruptedException {
        if (!Files.exists(layout.resolve("index.json"))) {
            run(layout.getParent(), "umoci", "init", "--layout", layout.toString());
        }
        run(layout.getParent(), "umoci", "new", "--image", layout + ":" + tag);
        Path bundle = Files.createTempDirectory(layout.getParent(), "bundle");
        Files.delete(bundle);
        // as a user, umoci cannot chown the unpacked files to the image's owners: --rootless maps them
        if (Peers.isRoot()) {
            run(layout.getParent(), "umoci", "unpack", "--image", layout + ":" + tag, bundle.toString());
        } else {
            run(layout.getParent(), "umoci", "unpack", "--rootless", "--image", layout + ":" + tag, bundle.toString());
        }
        Path bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(Peers.which("busybox"), bin.resolve("busybox"));
        byte[] data = new byte[(int) extraBytes];
        new Random(seed).nextBytes(data);
        Files.write(bundle.resolve("rootfs/data-" + seed), data);
        run(layout.getParent(), "umoci", "repack", "--image", layout + ":" + tag, bundle.toString());
        run(layout.getParent(), "umoci", "config", "--image", layout + ":" + tag, "--architecture", arch, "--os", "linux",
                "--config.cmd", "/bin/busybox");
        deleteTree(bundle);
    }

    /** {@code skopeo copy oci:LAYOUT:TAG docker://127.0.0.1:PORT/REPO:REPOTAG}. */
    public void push(Path layout, String tag, String repository, String repoTag) throws IOException, InterruptedException {
        run(dir, "skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout + ":" + tag,
                "docker://" + hostPort() + "/" + repository + ":" + repoTag);
    }

    /** The file the registry serves for blob {@code digest} (for tampering). */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    /**
     * {@code skopeo inspect oci-archive:ARCHIVE}. skopeo unpacks the archive keeping its owners
     * (root, as in every image archive), which a user cannot: as a user it runs in a user
     * namespace where the user is root ({@code unshare -r}).
     */
    static String inspectArchive(Path cwd, Path archive) throws IOException, InterruptedException {
        return Peers.isRoot()
                ? run(cwd, "skopeo", "inspect", "oci-archive:" + archive)
                : run(cwd, "unshare", "-r", "skopeo", "inspect", "oci-archive:" + archive);
    }

    static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }

    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}
