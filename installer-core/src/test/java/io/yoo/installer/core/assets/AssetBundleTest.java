package io.yoo.installer.core.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.core.assets.fetch.HttpFetcher;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.tar.TarWriter;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import io.yoo.installer.testsupport.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export on a connected machine, carry, import on an air-gapped one: verified on both sides. */
class AssetBundleTest {
    private static TestKeys key;
    private static FixtureRelease release;
    private static Path online;

    @TempDir
    static Path shared;

    @TempDir
    Path offline;

    @BeforeAll
    static void syncOnline() throws Exception {
        key = TestKeys.generate("Test Release Signing <release@example.test>");
        release = new FixtureRelease(key);
        online = shared.resolve("online");
        AssetSync sync = new AssetSync(new AssetStore(online), new HttpFetcher(ProxySettings.direct(), Duration.ofSeconds(10), 3),
                OpenPgpVerifier.of(key.publicKey()), release.sources(), 3, ProgressListener.NONE);
        SyncReport r = sync.sync(release.request(Optional.of(FixtureRelease.FLATCAR), List.of("pause-3.10.tar")));
        assertThat(r.failures()).isEmpty();
    }

    @AfterAll
    static void stop() {
        release.close();
    }

    private AssetBundle bundle(Path assetDir) throws Exception {
        return new AssetBundle(new AssetStore(assetDir), OpenPgpVerifier.of(key.publicKey()));
    }

    @Test
    void exportThenImportRoundTripsEveryVerifiedFile() throws Exception {
        Path tar = shared.resolve("roundtrip.tar");
        List<ManifestEntry> exported = bundle(online).export(tar, List.of());
        assertThat(exported).hasSize(AssetSyncTest.EXPECTED.size());

        SyncReport report = bundle(offline).importFrom(tar);

        assertThat(report.failures()).isEmpty();
        assertThat(report.count(SyncReport.Result.FETCHED)).isEqualTo(exported.size());
        AssetCatalog catalog = AssetCatalog.open(offline);
        for (ManifestEntry e : exported) {
            assertThat(catalog.isServable(e.path())).as(e.path()).isTrue();
            assertThat(Files.readAllBytes(offline.resolve(e.path()))).isEqualTo(Files.readAllBytes(online.resolve(e.path())));
        }
        // importing again finds everything present
        assertThat(bundle(offline).importFrom(tar).count(SyncReport.Result.PRESENT)).isEqualTo(exported.size());
    }

    @Test
    void bundleIsAPlainTarThatGnuTarReads() throws Exception {
        Peers.requireCommands("tar");
        Path tar = shared.resolve("gnu.tar");
        bundle(online).export(tar, List.of("kubernetes/1.31.4"));
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(listing).isZero();
        assertThat(listing.lines()).first().isEqualTo(".yoo/verified.json");
        assertThat(listing.lines()).contains("kubernetes/1.31.4/bin/kubelet", "kubernetes/1.31.4/SHA256SUMS").noneMatch(l -> l.startsWith("flatcar/"));
    }

    @Test
    void importFromAnAssetDirectoryCopy() throws Exception {
        SyncReport report = bundle(offline).importFrom(online);
        assertThat(report.failures()).isEmpty();
        assertThat(AssetCatalog.open(offline).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
    }

    @Test
    void tamperedFileInsideABundleIsRejected() throws Exception {
        Path tar = shared.resolve("tamper.tar");
        bundle(online).export(tar, List.of());
        byte[] bytes = Files.readAllBytes(tar);
        byte[] kernel = Files.readAllBytes(online.resolve("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz"));
        int at = indexOf(bytes, Arrays.copyOfRange(kernel, 0, 64));
        assertThat(at).isPositive();
        bytes[at + 10_000] ^= 1;
        Files.write(tar, bytes);

        SyncReport report = bundle(offline).importFrom(tar);

        assertThat(report.failures()).extracting(SyncReport.Outcome::path).containsExactly("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz");
        assertThat(AssetCatalog.open(offline).isServable("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz")).isFalse();
        assertThat(offline.resolve("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz")).doesNotExist();
        assertThat(AssetCatalog.open(offline).isServable("flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz")).isTrue();
    }

    @Test
    void forgedManifestCannotSneakInAFileThatFailsTheSignature(@TempDir Path forged) throws Exception {
        // an attacker edits the file AND its manifest digest: the receiving side's own key check catches it
        bundle(forged).importFrom(online);
        Path kernel = forged.resolve("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz");
        byte[] evil = Files.readAllBytes(kernel);
        evil[0] ^= 1;
        Files.write(kernel, evil);
        AssetStore store = new AssetStore(forged);
        ManifestEntry old = store.manifest().get("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz").orElseThrow();
        store.manifest().put(new ManifestEntry(old.path(), evil.length, FixtureRelease.hex("SHA-256", evil), Files.getLastModifiedTime(kernel).toMillis(),
                old.source(), old.verifiedBy(), old.verifiedAt()));

        SyncReport report = bundle(offline).importFrom(forged);

        assertThat(report.failures()).singleElement().satisfies(o -> {
            assertThat(o.path()).isEqualTo("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz");
            assertThat(o.message()).contains("BAD signature");
        });
        assertThat(AssetCatalog.open(offline).isServable("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz")).isFalse();
    }

    @Test
    void aTarThatIsNotABundleIsRefused() throws Exception {
        Path tar = shared.resolve("foreign.tar");
        try (var w = new TarWriter(Files.newOutputStream(tar))) {
            w.add("etc/passwd", "root:x:0:0".getBytes(), 0);
        }
        assertThatThrownBy(() -> bundle(offline).importFrom(tar)).hasMessageContaining("not a bundle made by 'yoo assets export'");
        assertThat(AssetCatalog.open(offline).entries()).isEmpty();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
