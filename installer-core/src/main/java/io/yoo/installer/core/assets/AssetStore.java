package io.yoo.installer.core.assets;

import io.yoo.installer.core.assets.verify.Digests;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;

/**
 * The only writer of an asset directory. Files arrive under {@code .yoo/partial/} and reach
 * their served path only through {@link #install}, which callers invoke after verification:
 * an atomic rename, then a manifest entry. So a file that failed is never at a served path with
 * a manifest entry, and the catalog never reports it servable.
 */
public final class AssetStore {
    private final Path assetDir;
    private final VerifiedManifest manifest;
    private final AssetCatalog catalog;
    private final Clock clock;

    public AssetStore(Path assetDir, Clock clock) throws IOException {
        this.assetDir = assetDir.toAbsolutePath().normalize();
        Files.createDirectories(this.assetDir.resolve(AssetPaths.META_DIR));
        this.manifest = VerifiedManifest.load(this.assetDir);
        this.catalog = AssetCatalog.open(this.assetDir);
        this.clock = clock;
    }

    public AssetStore(Path assetDir) throws IOException {
        this(assetDir, Clock.systemUTC());
    }

    public Path assetDir() {
        return assetDir;
    }

    public AssetCatalog catalog() {
        return catalog;
    }

    public VerifiedManifest manifest() {
        return manifest;
    }

    /** Where the download of {@code relativePath} accumulates (kept across runs for resume). */
    public Path partial(String relativePath) {
        return assetDir.resolve(AssetPaths.META_DIR).resolve("partial").resolve(AssetPaths.checkRelative(relativePath) + ".part");
    }

    /** True if {@code relativePath} is verified and unchanged: nothing to do. */
    public boolean isCurrent(String relativePath) {
        return catalog.isServable(relativePath);
    }

    /**
     * Moves a verified file into place and records it. Call only after verification passed.
     *
     * @param verified a file under this asset directory (normally {@link #partial})
     */
    public synchronized ManifestEntry install(Path verified, String relativePath, String source, String verifiedBy) throws IOException {
        return install(verified, relativePath, source, verifiedBy, Digests.sha256(verified));
    }

    /**
     * As {@link #install(Path, String, String, String)}, with the SHA-256 the caller computed while
     * writing {@code verified} itself (an image archive assembled from verified blobs), so the
     * file is not read a second time.
     */
    public synchronized ManifestEntry install(Path verified, String relativePath, String source, String verifiedBy, String sha256)
            throws IOException {
        Path target = AssetPaths.resolve(assetDir, relativePath);
        String sha = sha256;
        long size = Files.size(verified);
        Files.createDirectories(target.getParent());
        // drop the old record first: between the move and the new record nothing is servable
        manifest.remove(relativePath);
        try {
            Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(verified, target, StandardCopyOption.REPLACE_EXISTING);
        }
        long mtime = Files.getLastModifiedTime(target).toMillis();
        ManifestEntry entry = new ManifestEntry(relativePath, size, sha, mtime, source, verifiedBy, Instant.now(clock));
        manifest.put(entry);
        return entry;
    }

    /** Removes a partial file that failed verification. */
    public void discard(Path partial) throws IOException {
        Files.deleteIfExists(partial);
    }
}
