package io.yoo.installer.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a small asset directory in Yoo's layout for tests that run the real install script
 * (here under busybox; in the QEMU e2e tests inside the busybox test OS):
 *
 * <pre>
 * flatcar/{channel}/{version}/flatcar_production_image.bin.bz2   an 8 MiB ext2 filesystem labelled ROOT
 * flatcar/{channel}/{version}/flatcar_production_image.bin.bz2.sha256
 * tools/flatcar-install                                           the busybox test fixture
 * kubernetes/{k8s}/bin/{kubeadm,kubelet,kubectl,crictl}           "fake <name> <k8s>" scripts
 * kubernetes/{k8s}/cni/cni-plugins.tgz                            bridge, portmap
 * kubernetes/{k8s}/images/pause.tar
 * kubernetes/{k8s}/SHA256SUMS
 * </pre>
 *
 * Needs {@code busybox} (mke2fs, bzip2, tar). The disk the fixture writes to must be at least
 * {@link #IMAGE_BYTES} long.
 */
public final class E2eAssets {
    public static final long IMAGE_BYTES = 8L << 20;
    public static final String FIXTURE_RESOURCE = "e2e-assets/tools/flatcar-install";
    static final List<String> BUNDLE = List.of("bin/kubeadm", "bin/kubelet", "bin/kubectl", "bin/crictl", "cni/cni-plugins.tgz", "images/pause.tar");

    private E2eAssets() {}

    /**
     * @param tamperKubelet change bin/kubelet after SHA256SUMS is written (a checksum mismatch)
     */
    public static void write(Path assets, String channel, String osVersion, String kubernetesVersion, boolean tamperKubelet)
            throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory("yoo-e2e-assets");
        try {
            Path os = Files.createDirectories(assets.resolve("flatcar/" + channel + "/" + osVersion));
            Path image = scratch.resolve("image.bin");
            sparse(image, IMAGE_BYTES);
            busybox("mke2fs", "-F", "-L", "ROOT", image.toString(), Long.toString(IMAGE_BYTES / 1024));
            busybox("bzip2", image.toString());
            Path bz2 = os.resolve("flatcar_production_image.bin.bz2");
            Files.move(scratch.resolve("image.bin.bz2"), bz2);
            Files.writeString(os.resolve("flatcar_production_image.bin.bz2.sha256"), sha256(bz2) + "  flatcar_production_image.bin.bz2\n");
            Files.writeString(os.resolve("version.txt"), "FLATCAR_VERSION=" + osVersion + "\n");

            Path tool = Files.createDirectories(assets.resolve("tools")).resolve("flatcar-install");
            try (InputStream in = E2eAssets.class.getClassLoader().getResourceAsStream(FIXTURE_RESOURCE)) {
                if (in == null) {
                    throw new IOException("test resource " + FIXTURE_RESOURCE + " missing");
                }
                Files.copy(in, tool, StandardCopyOption.REPLACE_EXISTING);
            }

            Path k8s = Files.createDirectories(assets.resolve("kubernetes/" + kubernetesVersion));
            Files.createDirectories(k8s.resolve("bin"));
            for (String b : List.of("kubeadm", "kubelet", "kubectl", "crictl")) {
                Files.writeString(k8s.resolve("bin/" + b), "#!/bin/sh\necho fake " + b + " " + kubernetesVersion + "\n");
            }
            Path cni = Files.createDirectories(scratch.resolve("cni"));
            Files.writeString(cni.resolve("bridge"), "fake cni bridge\n");
            Files.writeString(cni.resolve("portmap"), "fake cni portmap\n");
            Files.createDirectories(k8s.resolve("cni"));
            busybox("tar", "-czf", k8s.resolve("cni/cni-plugins.tgz").toString(), "-C", cni.toString(), "bridge", "portmap");
            Files.createDirectories(k8s.resolve("images"));
            Files.writeString(k8s.resolve("images/pause.tar"), "fake image pause\n");
            StringBuilder sums = new StringBuilder();
            for (String f : BUNDLE) {
                sums.append(sha256(k8s.resolve(f))).append("  ").append(f).append('\n');
            }
            Files.writeString(k8s.resolve("SHA256SUMS"), sums);
            if (tamperKubelet) {
                Files.writeString(k8s.resolve("bin/kubelet"), "#!/bin/sh\necho tampered\n");
            }
        } finally {
            try (var s = Files.walk(scratch)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A sparse file of {@code bytes}: the fake disk. */
    public static void sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void busybox(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "busybox";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
