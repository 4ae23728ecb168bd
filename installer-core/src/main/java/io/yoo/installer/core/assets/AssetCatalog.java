package io.yoo.installer.core.assets;

import io.yoo.installer.core.assets.verify.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which files of an asset directory may be served: exactly those recorded in
 * {@code .yoo/verified.json} whose content is still what was verified. The HTTP server asks
 * {@link #isServable} before every {@code /assets/} response; anything else is a 404.
 *
 * <p>"Unchanged" is checked cheaply first (same size and modification time as recorded); when
 * the mtime differs but the size does not, the file is re-hashed once and, if the SHA-256 still
 * matches, remembered as good for that mtime. The manifest is re-read when its file changes, so
 * a running server picks up a {@code yoo assets sync} or {@code import} without a restart.
 * The mtime shortcut guards against accidents (an editor, a partial copy, a failed rsync), not
 * against someone with write access to the asset directory who also resets mtimes.
 */
public final class AssetCatalog {
    private static final Logger log = LoggerFactory.getLogger(AssetCatalog.class);

    private final Path assetDir;
    private final Path manifestFile;
    private volatile Loaded loaded = new Loaded(Map.of(), -1, -1, null);
    /** path -> "size:mtime" for which a re-hash confirmed the recorded sha256 */
    private final Map<String, String> rehashed = new ConcurrentHashMap<>();

    /** fileKey (inode) too: the manifest is replaced by rename, so a rewrite within one mtime tick still shows */
    private record Loaded(Map<String, ManifestEntry> entries, long mtime, long size, Object fileKey) {}

    private AssetCatalog(Path assetDir) {
        this.assetDir = assetDir.toAbsolutePath().normalize();
        this.manifestFile = this.assetDir.resolve(VerifiedManifest.FILE);
    }

    public static AssetCatalog open(Path assetDir) {
        AssetCatalog c = new AssetCatalog(assetDir);
        c.refresh();
        return c;
    }

    public Path assetDir() {
        return assetDir;
    }

    /** True only if {@code relativePath} (as in {@code /assets/<relativePath>}) is verified and unchanged. */
    public boolean isServable(String relativePath) {
        return status(relativePath) == AssetStatus.PRESENT;
    }

    /** The file to send for {@code relativePath}, if servable. */
    public Optional<Path> servableFile(String relativePath) {
        return isServable(relativePath) ? Optional.of(AssetPaths.resolve(assetDir, relativePath)) : Optional.empty();
    }

    public AssetStatus status(String relativePath) {
        return check(relativePath).status();
    }

    /**
     * Why {@code relativePath} is not served, for the server log and the machine's failure
     * message ("changed since it was verified: sha256 … , verified …"); empty when it is servable.
     */
    public Optional<String> refusal(String relativePath) {
        Check c = check(relativePath);
        return c.status() == AssetStatus.PRESENT ? Optional.empty() : Optional.of(c.reason());
    }

    private record Check(AssetStatus status, String reason) {
        static final Check OK = new Check(AssetStatus.PRESENT, "");
    }

    private Check check(String relativePath) {
        try {
            AssetPaths.checkRelative(relativePath);
        } catch (IllegalArgumentException e) {
            return new Check(AssetStatus.MISSING, "not an asset path: " + e.getMessage());
        }
        refresh();
        ManifestEntry e = loaded.entries().get(relativePath);
        if (e == null) {
            return new Check(AssetStatus.MISSING, "not verified: it is not in " + VerifiedManifest.FILE
                    + " (fetch it with 'yoo assets sync', or 'yoo assets add' with its digest)");
        }
        Path file = AssetPaths.resolve(assetDir, relativePath);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException ex) {
            return new Check(AssetStatus.STALE, "verified (sha256 " + e.sha256() + ") but gone from the asset directory");
        }
        if (!a.isRegularFile()) {
            return new Check(AssetStatus.STALE, "verified as a file but now not a regular file (a link or directory)");
        }
        if (a.size() != e.size()) {
            return new Check(AssetStatus.STALE, "changed since it was verified: " + a.size() + " bytes, verified "
                    + e.size() + " bytes (sha256 " + e.sha256() + ")");
        }
        long mtime = a.lastModifiedTime().toMillis();
        if (mtime == e.mtimeMillis()) {
            return Check.OK;
        }
        String key = a.size() + ":" + mtime;
        if (key.equals(rehashed.get(relativePath))) {
            return Check.OK;
        }
        String actual;
        try {
            actual = Digests.sha256(file);
        } catch (IOException ex) {
            return new Check(AssetStatus.STALE, "cannot re-check it: " + ex.getMessage());
        }
        if (actual.equals(e.sha256())) {
            rehashed.put(relativePath, key);
            return Check.OK;
        }
        log.warn("asset {} changed since it was verified (sha256 differs): not serving it", relativePath);
        return new Check(AssetStatus.STALE, "changed since it was verified: sha256 " + actual + ", verified " + e.sha256());
    }

    /** Every recorded entry, verified or since changed. */
    public List<ManifestEntry> entries() {
        refresh();
        return List.copyOf(loaded.entries().values());
    }

    public Optional<ManifestEntry> entry(String relativePath) {
        refresh();
        return Optional.ofNullable(loaded.entries().get(relativePath));
    }

    /** Re-reads the manifest if its file changed since the last read. */
    public void refresh() {
        try {
            BasicFileAttributes a = Files.readAttributes(manifestFile, BasicFileAttributes.class);
            Loaded l = loaded;
            long mtime = a.lastModifiedTime().toMillis();
            if (mtime == l.mtime() && a.size() == l.size() && Objects.equals(a.fileKey(), l.fileKey())) {
                return;
            }
            synchronized (this) {
                loaded = new Loaded(Map.copyOf(VerifiedManifest.read(manifestFile)), mtime, a.size(), a.fileKey());
                rehashed.clear();
            }
        } catch (NoSuchFileException e) {
            loaded = new Loaded(Map.of(), -1, -1, null);
        } catch (IOException e) {
            // a broken manifest serves nothing rather than something unverified
            log.error("cannot read {}: serving no assets until it is fixed ({})", manifestFile, e.getMessage());
            loaded = new Loaded(Map.of(), -2, -2, null);
        } catch (UncheckedIOException e) {
            log.error("cannot read {}: {}", manifestFile, e.getMessage());
            loaded = new Loaded(Map.of(), -2, -2, null);
        }
    }
}
