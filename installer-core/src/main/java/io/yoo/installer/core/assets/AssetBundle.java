package io.yoo.installer.core.assets;

import io.yoo.installer.core.assets.tar.TarReader;
import io.yoo.installer.core.assets.tar.TarWriter;
import io.yoo.installer.core.assets.verify.Digests;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import io.yoo.installer.core.assets.verify.VerificationException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Air-gapped transfer: {@link #export} writes the servable assets as a tar bundle (the manifest
 * first, as {@code .yoo/verified.json}, then every file with its signatures and checksum files);
 * {@link #importFrom} takes such a bundle or a directory laid out like an asset directory and
 * verifies everything again on the receiving side before installing:
 * <ul>
 *   <li>each file must be listed in the carried manifest, with the same size and SHA-256;</li>
 *   <li>files that were verified by an OpenPGP signature ({@code openpgp:} entries) are checked
 *       again against the receiving side's own trusted key, with the {@code .sig} from the bundle:
 *       a tampered bundle cannot forge those;</li>
 *   <li>checksum-verified files (Kubernetes binaries, image archives) are trusted as far as the
 *       bundle's manifest is: keep bundles on media you control.</li>
 * </ul>
 * Anything not listed, or failing, is reported and not installed.
 */
public final class AssetBundle {
    private static final String MANIFEST_NAME = VerifiedManifest.FILE;

    private final AssetStore store;
    private final OpenPgpVerifier flatcarKey;

    public AssetBundle(AssetStore store, OpenPgpVerifier flatcarKey) {
        this.store = store;
        this.flatcarKey = flatcarKey;
    }

    /**
     * Writes every servable asset (optionally only those under the given path prefixes) to {@code out}.
     *
     * @return the entries written
     */
    public List<ManifestEntry> export(Path out, List<String> prefixes) throws IOException {
        List<ManifestEntry> chosen = new ArrayList<>();
        for (ManifestEntry e : store.catalog().entries()) {
            boolean wanted = prefixes.isEmpty() || prefixes.stream().anyMatch(p -> e.path().equals(p) || e.path().startsWith(p.endsWith("/") ? p : p + "/"));
            if (wanted && store.isCurrent(e.path())) {
                chosen.add(e);
            }
        }
        chosen.sort(Comparator.comparing(ManifestEntry::path));
        Path tmpManifest = Files.createTempFile(store.assetDir().resolve(AssetPaths.META_DIR), "export", ".json");
        Path tmpOut = out.resolveSibling(out.getFileName() + ".part");
        try {
            VerifiedManifest.write(tmpManifest, chosen);
            try (TarWriter tar = new TarWriter(new BufferedOutputStream(Files.newOutputStream(tmpOut), 1 << 16))) {
                tar.add(MANIFEST_NAME, tmpManifest, System.currentTimeMillis() / 1000);
                for (ManifestEntry e : chosen) {
                    tar.add(e.path(), AssetPaths.resolve(store.assetDir(), e.path()), e.mtimeMillis() / 1000);
                }
            }
            Files.move(tmpOut, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmpManifest);
            Files.deleteIfExists(tmpOut);
        }
        return chosen;
    }

    /** Imports a bundle written by {@link #export} ({@code .tar}) or an asset directory copy. */
    public SyncReport importFrom(Path source) throws IOException {
        Path staging = Files.createTempDirectory(store.assetDir().resolve(AssetPaths.META_DIR), "import");
        try {
            Map<String, ManifestEntry> carried;
            List<SyncReport.Outcome> outcomes = new ArrayList<>();
            if (Files.isDirectory(source)) {
                carried = stageDirectory(source, staging, outcomes);
            } else {
                carried = stageTar(source, staging, outcomes);
            }
            outcomes.addAll(verifyAndInstall(source, carried, staging));
            return new SyncReport(outcomes);
        } finally {
            deleteTree(staging);
        }
    }

    private Map<String, ManifestEntry> stageDirectory(Path dir, Path staging, List<SyncReport.Outcome> outcomes) throws IOException {
        Path manifest = dir.resolve(MANIFEST_NAME);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException(dir + " has no " + MANIFEST_NAME + ": import takes a bundle or an asset directory made by 'yoo assets sync/export'");
        }
        Map<String, ManifestEntry> carried = VerifiedManifest.read(manifest);
        for (String path : carried.keySet()) {
            Path from = AssetPaths.resolve(dir, path);
            if (!Files.isRegularFile(from)) {
                outcomes.add(new SyncReport.Outcome(path, SyncReport.Result.FAILED, "listed in the manifest but missing from " + dir));
                continue;
            }
            Path to = AssetPaths.resolve(staging, path);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        return carried;
    }

    private Map<String, ManifestEntry> stageTar(Path bundle, Path staging, List<SyncReport.Outcome> outcomes) throws IOException {
        Map<String, ManifestEntry> carried = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (carried == null) {
                    if (!name.equals(MANIFEST_NAME)) {
                        throw new IOException(bundle + ": first entry is '" + name + "', not " + MANIFEST_NAME + ": not a bundle made by 'yoo assets export'");
                    }
                    Path m = staging.resolve("manifest.json");
                    Files.copy(e.content(), m);
                    carried = VerifiedManifest.read(m);
                    continue;
                }
                if (!carried.containsKey(name)) {
                    outcomes.add(new SyncReport.Outcome(safeName(name), SyncReport.Result.FAILED, "not listed in the bundle's manifest: ignored"));
                    continue;
                }
                Path to = AssetPaths.resolve(staging, name);
                Files.createDirectories(to.getParent());
                try (OutputStream out = Files.newOutputStream(to)) {
                    e.content().transferTo(out);
                }
            }
        }
        if (carried == null) {
            throw new IOException(bundle + ": empty, not a bundle made by 'yoo assets export'");
        }
        return carried;
    }

    private List<SyncReport.Outcome> verifyAndInstall(Path source, Map<String, ManifestEntry> carried, Path staging) throws IOException {
        List<SyncReport.Outcome> out = new ArrayList<>();
        for (ManifestEntry e : carried.values()) {
            Path staged = AssetPaths.resolve(staging, e.path());
            if (!Files.isRegularFile(staged)) {
                if (out.stream().noneMatch(o -> o.path().equals(e.path()))) {
                    out.add(new SyncReport.Outcome(e.path(), SyncReport.Result.FAILED, "listed in the manifest but not in " + source));
                }
                continue;
            }
            try {
                verifyStaged(e, staged, staging);
            } catch (VerificationException ex) {
                out.add(new SyncReport.Outcome(e.path(), SyncReport.Result.FAILED, "verification failed: " + ex.getMessage()));
                continue;
            }
            if (store.isCurrent(e.path()) && store.catalog().entry(e.path()).map(m -> m.sha256().equals(e.sha256())).orElse(false)) {
                out.add(new SyncReport.Outcome(e.path(), SyncReport.Result.PRESENT, "already verified here"));
                continue;
            }
            Path part = store.partial(e.path());
            Files.createDirectories(part.getParent());
            Files.move(staged, part, StandardCopyOption.REPLACE_EXISTING);
            store.install(part, e.path(), "bundle:" + source.getFileName() + " (" + e.source() + ")", e.verifiedBy());
            out.add(new SyncReport.Outcome(e.path(), SyncReport.Result.FETCHED, "imported, " + e.verifiedBy()));
        }
        return out;
    }

    private void verifyStaged(ManifestEntry e, Path staged, Path staging) throws IOException, VerificationException {
        if (Files.size(staged) != e.size()) {
            throw new VerificationException(e.path() + ": " + Files.size(staged) + " bytes, the manifest says " + e.size());
        }
        if (!Digests.sha256(staged).equals(e.sha256())) {
            throw new VerificationException(e.path() + ": sha256 differs from the bundle's manifest");
        }
        if (e.verifiedBy().startsWith("openpgp:")) {
            Path sig = AssetPaths.resolve(staging, e.path() + ".sig");
            if (!Files.isRegularFile(sig)) {
                throw new VerificationException(e.path() + ": signed upstream, but the bundle lacks " + e.path() + ".sig");
            }
            flatcarKey.verify(staged, Files.readAllBytes(sig));
        }
    }

    private static String safeName(String name) {
        return name.length() > 120 ? name.substring(0, 120) + "..." : name;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
