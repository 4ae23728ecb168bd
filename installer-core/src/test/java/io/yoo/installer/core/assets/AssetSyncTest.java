package io.yoo.installer.core.assets;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.assets.fetch.HttpFetcher;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetSyncTest {
    private static TestKeys key;
    private static TestKeys otherKey;

    @TempDir
    Path assets;

    private FixtureRelease release;

    @BeforeAll
    static void keys() {
        key = TestKeys.generate("Test Release Signing <release@example.test>");
        otherKey = TestKeys.generate("Someone Else <evil@example.test>");
    }

    @BeforeEach
    void start() throws Exception {
        release = new FixtureRelease(key);
    }

    @AfterEach
    void stop() {
        release.close();
    }

    private AssetSync sync(AssetStore store, ProxySettings proxy) {
        return new AssetSync(store, new HttpFetcher(proxy, Duration.ofSeconds(10), 4), OpenPgpVerifier.of(key.publicKey()),
                release.sources(), 3, ProgressListener.NONE);
    }

    static final List<String> EXPECTED = List.of(
            "flatcar/stable/4081.2.0/version.txt", "flatcar/stable/4081.2.0/version.txt.sig",
            "flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz", "flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz.sig",
            "flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz", "flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz.sig",
            "flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2", "flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2.sig",
            "flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2.DIGESTS",
            "kubernetes/1.31.4/bin/kubeadm", "kubernetes/1.31.4/bin/kubelet", "kubernetes/1.31.4/bin/kubectl", "kubernetes/1.31.4/bin/crictl",
            "kubernetes/1.31.4/cni/cni-plugins.tgz", "kubernetes/1.31.4/images/pause-3.10.tar", "kubernetes/1.31.4/SHA256SUMS");

    @Test
    void syncFetchesVerifiesAndLaysOutEverythingThenServesIt() throws Exception {
        AssetStore store = new AssetStore(assets);
        SyncReport report = sync(store, ProxySettings.direct()).sync(release.request(Optional.empty(), List.of("pause-3.10.tar")));

        assertThat(report.failures()).isEmpty();
        assertThat(report.outcomes()).extracting(SyncReport.Outcome::path).containsExactlyInAnyOrderElementsOf(EXPECTED);
        AssetCatalog catalog = AssetCatalog.open(assets);
        for (String p : EXPECTED) {
            assertThat(catalog.isServable(p)).as(p).isTrue();
        }
        // content is what the server published; crictl was extracted from its verified tarball
        assertThat(Files.readAllBytes(assets.resolve("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")))
                .isEqualTo(release.files.get(FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2")));
        assertThat(Files.readAllBytes(assets.resolve("kubernetes/1.31.4/bin/crictl"))).isEqualTo(release.files.get("crictl-binary"));
        // SHA256SUMS is sha256sum -c compatible, relative to kubernetes/<version>/
        String sums = Files.readString(assets.resolve("kubernetes/1.31.4/SHA256SUMS"));
        assertThat(sums).contains(FixtureRelease.hex("SHA-256", release.files.get(FixtureRelease.k8sPath("kubelet"))) + "  bin/kubelet\n");
        assertThat(sums.lines()).hasSize(6);
        // "current" was resolved from the signed current/version.txt
        assertThat(release.countGets(FixtureRelease.flatcarPath("current", "version.txt"))).isEqualTo(1);
        // no partial files are left behind
        try (var s = Files.walk(assets.resolve(".yoo/partial"))) {
            assertThat(s.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void secondSyncFindsEverythingPresentAndDownloadsNothingBig() throws Exception {
        AssetStore store = new AssetStore(assets);
        sync(store, ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));
        release.requests.clear();
        SyncReport again = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));
        assertThat(again.failures()).isEmpty();
        assertThat(again.count(SyncReport.Result.FETCHED)).isEqualTo(1); // only SHA256SUMS is rewritten
        assertThat(release.requests).isEmpty();
    }

    @Test
    void tamperedFlatcarImageIsRejectedAndNeverServable() throws Exception {
        String image = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2");
        byte[] tampered = release.files.get(image).clone();
        tampered[1000] ^= 1;
        release.files.put(image, tampered);

        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        String rel = "flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2";
        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly(rel);
        assertThat(report.failures().getFirst().message()).contains("BAD signature");
        assertThat(AssetCatalog.open(assets).isServable(rel)).isFalse();
        assertThat(AssetCatalog.open(assets).isServable(rel + ".sig")).isFalse();
        assertThat(assets.resolve(rel)).doesNotExist();
        assertThat(new AssetStore(assets).partial(rel)).doesNotExist();
        // the rest is fine and served
        assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz")).isTrue();
    }

    @Test
    void signatureByAnUntrustedKeyIsRejected() throws Exception {
        String kernel = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_pxe.vmlinuz");
        release.files.put(kernel + ".sig", otherKey.sign(release.files.get(kernel)));

        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        String rel = "flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz";
        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly(rel);
        assertThat(report.failures().getFirst().message()).contains("unknown key");
        assertThat(AssetCatalog.open(assets).isServable(rel)).isFalse();
        assertThat(assets.resolve(rel)).doesNotExist();
    }

    @Test
    void garbageSignatureIsRejected() throws Exception {
        String initrd = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_pxe_image.cpio.gz");
        release.files.put(initrd + ".sig", "not a signature".getBytes());
        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));
        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly("flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz");
        assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz")).isFalse();
    }

    @Test
    void binaryWithAWrongChecksumIsRejectedAndLeftOutOfSha256Sums() throws Exception {
        byte[] kubelet = release.files.get(FixtureRelease.k8sPath("kubelet")).clone();
        kubelet[5] ^= 0x40;
        release.files.put(FixtureRelease.k8sPath("kubelet"), kubelet);

        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly("kubernetes/1.31.4/bin/kubelet");
        assertThat(report.failures().getFirst().message()).contains("differs from");
        assertThat(AssetCatalog.open(assets).isServable("kubernetes/1.31.4/bin/kubelet")).isFalse();
        assertThat(Files.readString(assets.resolve("kubernetes/1.31.4/SHA256SUMS"))).doesNotContain("kubelet").contains("bin/kubeadm");
    }

    @Test
    void wrongDigestsLineForTheImageIsRejected() throws Exception {
        String digests = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2.DIGESTS");
        release.files.put(digests, ("# SHA512 HASH\n" + "0".repeat(128) + "  flatcar_production_image.bin.bz2\n").getBytes());
        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));
        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2");
        assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isFalse();
    }

    @Test
    void downloadResumesWithRangeAfterTheConnectionDropsMidBody() throws Exception {
        String image = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2");
        release.dropOnce.put(image, 700_000);

        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        assertThat(report.failures()).isEmpty();
        List<FixtureRelease.Request> gets = release.requests.stream().filter(r -> r.path().equals(image)).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).range()).isNull();
        assertThat(gets.get(1).range()).isEqualTo("bytes=700000-");
        assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
        assertThat(Files.readAllBytes(assets.resolve("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2"))).isEqualTo(release.files.get(image));
    }

    @Test
    void partialFileFromAnEarlierRunIsContinued() throws Exception {
        String image = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2");
        AssetStore store = new AssetStore(assets);
        Path part = store.partial("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2");
        Files.createDirectories(part.getParent());
        Files.write(part, Arrays.copyOf(release.files.get(image), 1_234_567));

        SyncReport report = sync(store, ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        assertThat(report.failures()).isEmpty();
        assertThat(release.requests.stream().filter(r -> r.path().equals(image)).map(FixtureRelease.Request::range)).containsExactly("bytes=1234567-");
        assertThat(store.isCurrent("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
    }

    @Test
    void corruptPartialFileIsRefetchedFromScratchAfterVerificationFails() throws Exception {
        String image = FixtureRelease.flatcarPath("4081.2.0", "flatcar_production_image.bin.bz2");
        AssetStore store = new AssetStore(assets);
        Path part = store.partial("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2");
        Files.createDirectories(part.getParent());
        Files.write(part, new byte[500_000]); // zeros: not what the server has

        SyncReport report = sync(store, ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));

        assertThat(report.failures()).isEmpty();
        assertThat(release.requests.stream().filter(r -> r.path().equals(image)).map(FixtureRelease.Request::range))
                .containsExactly("bytes=500000-", null);
        assertThat(store.isCurrent("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
    }

    @Test
    void missingUpstreamFileIsAClearFailure() throws Exception {
        release.files.remove(FixtureRelease.k8sPath("kubectl"));
        SyncReport report = sync(new AssetStore(assets), ProxySettings.direct()).sync(release.request(Optional.of("4081.2.0"), List.of()));
        assertThat(report.failures()).singleElement().satisfies(o -> {
            assertThat(o.path()).isEqualTo("kubernetes/1.31.4/bin/kubectl");
            assertThat(o.message()).contains("HTTP 404").contains("/k8s/release/v1.31.4/bin/linux/amd64/kubectl");
        });
    }

    @Test
    void localImageArchiveNeedsAMatchingChecksumFile(@TempDir Path outside) throws Exception {
        Path good = outside.resolve("coredns.tar");
        Files.write(good, new byte[] {1, 2, 3});
        Files.writeString(outside.resolve("coredns.tar.sha256"), FixtureRelease.hex("SHA-256", new byte[] {1, 2, 3}) + "  coredns.tar\n");
        Path bad = outside.resolve("etcd.tar");
        Files.write(bad, new byte[] {4, 5, 6});
        Files.writeString(outside.resolve("etcd.tar.sha256"), FixtureRelease.hex("SHA-256", new byte[] {9}) + "  etcd.tar\n");
        Path none = outside.resolve("flannel.tar");
        Files.write(none, new byte[] {7});

        SyncRequest r = new SyncRequest(Optional.empty(), Optional.empty(), Optional.of(FixtureRelease.K8S), FixtureRelease.CNI, Optional.empty(),
                List.of(), List.of(good, bad, none), "amd64");
        AssetSync s = sync(new AssetStore(assets), ProxySettings.direct());
        SyncReport report = s.run(s.plan(r).stream().filter(j -> j instanceof AssetJob.LocalFile).toList());

        AssetCatalog c = AssetCatalog.open(assets);
        assertThat(c.isServable("kubernetes/1.31.4/images/coredns.tar")).isTrue();
        assertThat(c.isServable("kubernetes/1.31.4/images/etcd.tar")).isFalse();
        assertThat(c.isServable("kubernetes/1.31.4/images/flannel.tar")).isFalse();
        assertThat(report.failures()).extracting(SyncReport.Outcome::message)
                .anySatisfy(m -> assertThat(m).contains("sha256 differs"))
                .anySatisfy(m -> assertThat(m).contains("sha256sum flannel.tar > flannel.tar.sha256"));
    }
}
