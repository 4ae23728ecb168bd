package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.assets.FixtureRelease;
import io.yoo.installer.core.assets.TestKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AssetsCommandTest {
    private static TestKeys key;
    private static FixtureRelease release;

    @TempDir
    static Path keyDir;

    @TempDir
    Path dir;

    private String out;
    private String err;

    @BeforeAll
    static void start() throws Exception {
        key = TestKeys.generate("Test Release Signing <release@example.test>");
        release = new FixtureRelease(key);
        Files.write(keyDir.resolve("test-key.asc"), key.publicKey());
    }

    @AfterAll
    static void stop() {
        release.close();
    }

    private int yoo(String... args) {
        CommandLine cl = Yoo.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** Runs {@code yoo ARGS} as its own JVM (as {@code ./yoo} does) and returns its stdout; exit 0 expected. */
    private static String yooProcess(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Yoo.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }

    private String[] syncArgs(Path assets, boolean withTestKey, String flatcar) {
        List<String> a = new ArrayList<>(List.of("assets", "sync", "--asset-dir", assets.toString(), "--no-progress",
                "--flatcar", flatcar, "--kubernetes", FixtureRelease.K8S, "--no-images", "--image", "pause-3.10.tar",
                "--flatcar-url", release.base() + "/flatcar/{channel}/{arch}-usr/{version}/",
                "--kubernetes-url", release.base() + "/k8s/release/v{version}/bin/linux/{arch}/",
                "--cni-url", release.base() + "/cni/v{version}/",
                "--crictl-url", release.base() + "/crictl/v{version}/",
                "--images-url", release.base() + "/images/"));
        if (withTestKey) {
            a.addAll(List.of("--flatcar-key", keyDir.resolve("test-key.asc").toString()));
        }
        return a.toArray(String[]::new);
    }

    @Test
    void syncListExportImport() throws Exception {
        Path online = dir.resolve("online");
        assertThat(yoo(syncArgs(online, true, "stable"))).as(err).isZero();
        assertThat(out).contains("0 failed").contains("flatcar stable:").contains("4081.2.0").contains("complete").contains("1.31.4");
        assertThat(AssetCatalog.open(online).isServable("kubernetes/1.31.4/images/pause-3.10.tar")).isTrue();

        assertThat(yoo("assets", "list", "--asset-dir", online.toString())).isZero();
        assertThat(out).contains("flatcar stable:").doesNotContain("INCOMPLETE");
        // the real CLI (its own process, stdout a pipe): the listing must reach stdout before exit
        assertThat(yooProcess("assets", "list", "--asset-dir", online.toString()))
                .contains("flatcar stable:").contains("4081.2.0").contains("1.31.4");

        Path bundle = dir.resolve("site.tar");
        assertThat(yoo("assets", "export", "--asset-dir", online.toString(), "--out", bundle.toString())).as(err).isZero();
        assertThat(out).contains("16 verified files");

        Path offline = dir.resolve("offline");
        assertThat(yoo("assets", "import", "--asset-dir", offline.toString(), "--flatcar-key", keyDir.resolve("test-key.asc").toString(),
                bundle.toString())).as(err).isZero();
        assertThat(AssetCatalog.open(offline).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
    }

    @Test
    void shippedFlatcarKeyRejectsReleasesItDidNotSign() {
        // without --flatcar-key the real Flatcar key is used: the fixture's test signatures fail
        assertThat(yoo(syncArgs(dir.resolve("b"), false, "stable"))).as(err).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(err).contains("current/version.txt (to find the current stable release): ").contains("unknown key");
        assertThat(yoo(syncArgs(dir.resolve("a"), false, "stable:" + FixtureRelease.FLATCAR))).as(err).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(err).contains("FAILED flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2").contains("unknown key");
        assertThat(AssetCatalog.open(dir.resolve("a")).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isFalse();
        // Kubernetes files are checksum-verified and unaffected
        assertThat(AssetCatalog.open(dir.resolve("a")).isServable("kubernetes/1.31.4/bin/kubelet")).isTrue();
    }

    @Test
    void usageErrorsAreExitCodeTwo() {
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString())).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("nothing to sync");
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--kubernetes", "1.31.4", "--proxy", "gopher://x")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("unsupported scheme 'gopher'");
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--flatcar", "stable:../../etc")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("invalid version");
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--kubernetes", "1.32.3", "--registry-mirror", "registry.k8s.io=http://u:p@h/x"))
                .isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("http(s)://host[:port] with nothing after it");
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--kubernetes", "1.32.3", "--cni", "cilium")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("cni 'cilium' is not supported yet: use flannel (installed for you), or none");
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--kubernetes", "1.32.3", "--cni", "calico")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("yoo assets sync: cni 'calico' is not supported yet");
        assertThat(yoo("assets", "images", "--kubernetes", "1.32.3", "--cni", "calico")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("yoo assets images: cni 'calico' is not supported yet").doesNotContain("calico/node");
        assertThat(out).isEmpty();
        assertThat(yoo("assets", "sync", "--asset-dir", dir.toString(), "--flatcar", "stable", "--images-only")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("--images-only needs --kubernetes");
    }

    @Test
    void imagesPrintsKubeadmsListThenTheCniAndKubeVip() {
        assertThat(yoo("assets", "images", "--kubernetes", "1.32.3")).isZero();
        assertThat(out.lines().toList()).containsExactly(
                "registry.k8s.io/kube-apiserver:v1.32.3", "registry.k8s.io/kube-controller-manager:v1.32.3",
                "registry.k8s.io/kube-scheduler:v1.32.3", "registry.k8s.io/kube-proxy:v1.32.3",
                "registry.k8s.io/coredns/coredns:v1.11.3", "registry.k8s.io/pause:3.10", "registry.k8s.io/etcd:3.5.16-0",
                "docker.io/flannel/flannel-cni-plugin:v1.5.1-flannel2", "docker.io/flannel/flannel:v0.26.1",
                "ghcr.io/kube-vip/kube-vip:v0.8.9");
        assertThat(yoo("assets", "images", "--kubernetes", "1.28.0")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("no pinned images for 1.28");
    }

    /** A valid dev descriptor with the given kubernetes section (YAML flow map). */
    private Path descriptor(String kubernetes) throws Exception {
        String yml = String.join("\n", "cluster: dev", "architecture: dev",
                "network: { interface: enp3s0, server: 192.168.50.2, subnet: 192.168.50.0/24, gateway: 192.168.50.1, dns: [192.168.50.1] }",
                "os: { version: 4081.2.0 }", "kubernetes: " + kubernetes,
                "sshKeys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3rY7q2w5X8kL1mN4pQ6sT9vB0cD2eF5gH7jK9lM1nP dev@laptop\"]",
                "machines:", "  - { name: devbox, mac: \"52:54:00:50:00:10\", ip: 192.168.50.10 }", "");
        Path f = dir.resolve("cluster.yml");
        Files.writeString(f, yml);
        return f;
    }

    @Test
    void imagesFollowTheDescriptorsVersionCniAndVip() throws Exception {
        // production: 1.32.3, flannel, VIP 10.12.1.100 -> kube-vip
        assertThat(yoo("assets", "images", "--example", "production")).as(err).isZero();
        assertThat(out.lines().toList()).contains("registry.k8s.io/kube-apiserver:v1.32.3", "docker.io/flannel/flannel:v0.26.1",
                "ghcr.io/kube-vip/kube-vip:v0.8.9");
        // dev: no controlPlaneEndpoint -> no kube-vip
        assertThat(yoo("assets", "images", "--example", "dev")).as(err).isZero();
        assertThat(out).contains("registry.k8s.io/kube-apiserver:v1.32.3").doesNotContain("kube-vip");

        Path cluster = descriptor("{ version: 1.31.4, cni: none }");
        assertThat(yoo("assets", "images", "-d", cluster.toString())).as(err).isZero();
        assertThat(out.lines().toList()).hasSize(7).contains("registry.k8s.io/kube-apiserver:v1.31.4", "registry.k8s.io/etcd:3.5.15-0");
        assertThat(err).isEmpty();
        // an explicit flag wins, and says what it overrode
        assertThat(yoo("assets", "images", "-d", cluster.toString(), "--cni", "flannel", "--kube-vip", "--kubernetes", "v1.31.4")).as(err).isZero();
        assertThat(out).contains("docker.io/flannel/flannel:v0.26.1", "ghcr.io/kube-vip/kube-vip:v0.8.9");
        assertThat(err).contains("note: --cni flannel overrides the descriptor's kubernetes.cni none")
                .contains("note: --kube-vip overrides the descriptor").doesNotContain("--kubernetes");
        assertThat(yoo("assets", "images")).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(err).contains("give --kubernetes VERSION, -d FILE or --example NAME");
    }

    @Test
    void syncTakesTheKubernetesVersionFromTheDescriptor() throws Exception {
        Path cluster = descriptor("{ version: " + FixtureRelease.K8S + ", cni: none }");
        List<String> args = new ArrayList<>(List.of(syncArgs(dir.resolve("m"), true, "stable")));
        int k = args.indexOf("--kubernetes");
        args.remove(k);
        args.remove(k);
        args.addAll(List.of("-d", cluster.toString()));
        assertThat(yoo(args.toArray(String[]::new))).as(err).isZero();
        assertThat(AssetCatalog.open(dir.resolve("m")).isServable("kubernetes/" + FixtureRelease.K8S + "/bin/kubelet")).isTrue();
    }

    @Test
    void addTakesALocalFileOnlyWithTheRightDigest() throws Exception {
        Path script = Files.writeString(dir.resolve("flatcar-install"), "#!/bin/bash\necho install\n");
        String good = FixtureRelease.hex("SHA-256", Files.readAllBytes(script));
        Path assets = dir.resolve("assets");
        assertThat(yoo("assets", "add", "--asset-dir", assets.toString(), script.toString(), "--as", "tools/flatcar-install",
                "--sha256", "0".repeat(64))).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(AssetCatalog.open(assets).isServable("tools/flatcar-install")).isFalse();
        assertThat(yoo("assets", "add", "--asset-dir", assets.toString(), script.toString(), "--as", "tools/flatcar-install",
                "--sha256", good)).as(err).isZero();
        assertThat(AssetCatalog.open(assets).isServable("tools/flatcar-install")).isTrue();
        assertThat(yoo("assets", "add", "--asset-dir", assets.toString(), script.toString(), "--as", "../escape", "--sha256", good))
                .isEqualTo(Yoo.EXIT_USAGE);
    }

    @Test
    void importOfSomethingElseIsRefused() throws Exception {
        Path notABundle = Files.writeString(dir.resolve("x.tar"), "hello");
        assertThat(yoo("assets", "import", "--asset-dir", dir.resolve("b").toString(), notABundle.toString())).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(err).contains("yoo assets import:");
    }

    /** sync mirrors what images lists: one set of image options (names, labels, help) serves both. */
    @Test
    void syncAndImagesShareTheirImageOptions() {
        CommandLine assets = Yoo.commandLine().getSubcommands().get("assets");
        for (String name : List.of("--kubernetes", "--cni", "--kube-vip", "--etcd-version")) {
            CommandLine.Model.OptionSpec sync = assets.getSubcommands().get("sync").getCommandSpec().findOption(name);
            CommandLine.Model.OptionSpec images = assets.getSubcommands().get("images").getCommandSpec().findOption(name);
            assertThat(sync).as(name).isNotNull();
            assertThat(images).as(name).isNotNull();
            assertThat(images.paramLabel()).as(name).isEqualTo(sync.paramLabel());
            assertThat(images.description()).as(name).containsExactly(sync.description());
        }
        assertThat(yoo("assets", "images", "--kubernetes", "1.32.3", "--no-kube-vip", "--cni", "none", "--etcd-version", "3.5.24-0"))
                .as(err).isZero();
        assertThat(out).contains("registry.k8s.io/etcd:3.5.24-0").doesNotContain("kube-vip").doesNotContain("flannel");
    }
}
