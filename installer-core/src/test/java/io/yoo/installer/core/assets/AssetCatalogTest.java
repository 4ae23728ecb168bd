package io.yoo.installer.core.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server serves exactly what {@link AssetCatalog#isServable} allows: exactly what was verified. */
class AssetCatalogTest {
    @TempDir
    Path assets;

    private ManifestEntry verify(AssetStore store, String rel, String content) throws Exception {
        Path part = store.partial(rel);
        Files.createDirectories(part.getParent());
        Files.writeString(part, content);
        return store.install(part, rel, "test", "sha256:test");
    }

    @Test
    void onlyVerifiedFilesAreServable() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "flatcar/stable/1.0.0/flatcar_production_pxe.vmlinuz", "kernel");
        // a file copied in by hand, never verified
        Files.writeString(assets.resolve("flatcar/stable/1.0.0/flatcar_production_pxe_image.cpio.gz"), "initrd");

        AssetCatalog catalog = AssetCatalog.open(assets);
        assertThat(catalog.isServable("flatcar/stable/1.0.0/flatcar_production_pxe.vmlinuz")).isTrue();
        assertThat(catalog.status("flatcar/stable/1.0.0/flatcar_production_pxe_image.cpio.gz")).isEqualTo(AssetStatus.MISSING);
        assertThat(catalog.isServable("flatcar/stable/1.0.0/nothing-here")).isFalse();
    }

    @Test
    void changedContentIsStaleEvenWithTheSameSize() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "kubernetes/1.31.4/bin/kubelet", "AAAA");
        AssetCatalog catalog = AssetCatalog.open(assets);
        assertThat(catalog.isServable("kubernetes/1.31.4/bin/kubelet")).isTrue();

        Path f = assets.resolve("kubernetes/1.31.4/bin/kubelet");
        Files.writeString(f, "AAAB");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(catalog.status("kubernetes/1.31.4/bin/kubelet")).isEqualTo(AssetStatus.STALE);
    }

    @Test
    void changedSizeIsStaleWithoutHashing() throws Exception {
        AssetStore store = new AssetStore(assets);
        ManifestEntry e = verify(store, "kubernetes/1.31.4/bin/kubeadm", "AAAA");
        Path f = assets.resolve("kubernetes/1.31.4/bin/kubeadm");
        Files.writeString(f, "AAAAA");
        Files.setLastModifiedTime(f, FileTime.fromMillis(e.mtimeMillis())); // even with the old mtime
        assertThat(AssetCatalog.open(assets).status("kubernetes/1.31.4/bin/kubeadm")).isEqualTo(AssetStatus.STALE);
    }

    @Test
    void touchedButUnchangedFileIsReHashedAndStillServable() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "kubernetes/1.31.4/bin/kubectl", "same");
        Files.setLastModifiedTime(assets.resolve("kubernetes/1.31.4/bin/kubectl"), FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(AssetCatalog.open(assets).isServable("kubernetes/1.31.4/bin/kubectl")).isTrue();
    }

    @Test
    void deletedFileIsStale() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "tools/flatcar-install", "#!/bin/bash");
        Files.delete(assets.resolve("tools/flatcar-install"));
        assertThat(AssetCatalog.open(assets).status("tools/flatcar-install")).isEqualTo(AssetStatus.STALE);
    }

    @Test
    void symlinkReplacingAVerifiedFileIsNotServed() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "tools/flatcar-install", "#!/bin/bash");
        Path f = assets.resolve("tools/flatcar-install");
        Path elsewhere = Files.writeString(assets.resolve("elsewhere"), "#!/bin/bash");
        Files.delete(f);
        Files.createSymbolicLink(f, elsewhere);
        assertThat(AssetCatalog.open(assets).isServable("tools/flatcar-install")).isFalse();
    }

    @Test
    void pathTricksAndPrivateFilesAreNeverServable() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "tools/flatcar-install", "x");
        AssetCatalog catalog = AssetCatalog.open(assets);
        assertThat(catalog.isServable(".yoo/verified.json")).isFalse();
        assertThat(catalog.isServable("tools/../tools/flatcar-install")).isFalse();
        assertThat(catalog.isServable("/tools/flatcar-install")).isFalse();
        assertThat(catalog.isServable("tools//flatcar-install")).isFalse();
        assertThat(catalog.isServable("../../etc/passwd")).isFalse();
        assertThat(catalog.isServable("")).isFalse();
    }

    @Test
    void runningCatalogSeesNewVerificationsWithoutRestart() throws Exception {
        AssetCatalog catalog = AssetCatalog.open(assets);
        assertThat(catalog.isServable("ipxe/undionly.kpxe")).isFalse();
        AssetStore store = new AssetStore(assets);
        verify(store, "ipxe/undionly.kpxe", "ipxe");
        assertThat(catalog.isServable("ipxe/undionly.kpxe")).isTrue();
    }

    @Test
    void corruptManifestServesNothing() throws Exception {
        AssetStore store = new AssetStore(assets);
        verify(store, "ipxe/undionly.kpxe", "ipxe");
        AssetCatalog catalog = AssetCatalog.open(assets);
        Files.writeString(assets.resolve(".yoo/verified.json"), "{ not json");
        assertThat(catalog.isServable("ipxe/undionly.kpxe")).isFalse();
    }

    @Test
    void manifestWithATraversalPathIsRejected() throws Exception {
        Files.createDirectories(assets.resolve(".yoo"));
        Files.writeString(assets.resolve(".yoo/verified.json"),
                "{\"format\":1,\"files\":[{\"path\":\"../x\",\"size\":1,\"sha256\":\"00\",\"mtimeMillis\":0,\"source\":\"s\","
                        + "\"verifiedBy\":\"v\",\"verifiedAt\":\"2026-01-01T00:00:00Z\"}]}");
        assertThat(AssetCatalog.open(assets).entries()).isEmpty();
    }
}
