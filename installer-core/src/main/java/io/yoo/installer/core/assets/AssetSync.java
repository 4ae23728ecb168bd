package io.yoo.installer.core.assets;

import io.yoo.installer.core.assets.fetch.FetchException;
import io.yoo.installer.core.assets.fetch.Fetcher;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.tar.TarReader;
import io.yoo.installer.core.assets.verify.ChecksumFile;
import io.yoo.installer.core.assets.verify.Digests;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import io.yoo.installer.core.assets.verify.VerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code yoo assets sync}: plans the files a {@link SyncRequest} needs, downloads the missing
 * ones (a bounded number at a time), verifies each and installs only the good ones through the
 * {@link AssetStore}. A file that fails verification after a resumed download is fetched once
 * more from scratch (the resumed part may have come from a different upload), then given up.
 */
public final class AssetSync {
    private static final Logger log = LoggerFactory.getLogger(AssetSync.class);

    private final AssetStore store;
    private final Fetcher fetcher;
    private final OpenPgpVerifier flatcarKey;
    private final MirrorSources sources;
    private final int parallel;
    private final ProgressListener progress;

    public AssetSync(AssetStore store, Fetcher fetcher, OpenPgpVerifier flatcarKey, MirrorSources sources, int parallel,
            ProgressListener progress) {
        this.store = store;
        this.fetcher = fetcher;
        this.flatcarKey = flatcarKey;
        this.sources = sources;
        this.parallel = Math.max(1, parallel);
        this.progress = progress;
    }

    /** Plans, runs, and writes {@code kubernetes/<version>/SHA256SUMS}. */
    public SyncReport sync(SyncRequest request) throws IOException, VerificationException {
        List<AssetJob> jobs = plan(request);
        SyncReport report = run(jobs);
        if (request.kubernetesVersion().isPresent()) {
            List<SyncReport.Outcome> all = new ArrayList<>(report.outcomes());
            all.add(writeSha256Sums(AssetPaths.kubernetesDir(request.kubernetesVersion().get())));
            report = new SyncReport(all);
        }
        return report;
    }

    /**
     * The jobs for {@code request}. Resolves Flatcar's {@code current} by fetching the channel's
     * {@code current/version.txt} and checking its signature (the network is used only for that).
     */
    public List<AssetJob> plan(SyncRequest r) throws IOException, VerificationException {
        List<AssetJob> jobs = new ArrayList<>();
        String arch = r.arch();
        if (r.flatcarChannel().isPresent()) {
            String channel = r.flatcarChannel().get();
            String version = r.flatcarVersion().filter(v -> !v.equals("current")).orElse(null);
            if (version == null) {
                version = resolveCurrentFlatcar(channel, arch);
            }
            String dir = AssetPaths.flatcarDir(channel, version);
            for (String f : List.of(AssetPaths.FLATCAR_VERSION_TXT, AssetPaths.FLATCAR_KERNEL, AssetPaths.FLATCAR_INITRD, AssetPaths.FLATCAR_IMAGE)) {
                Optional<URI> digests = f.equals(AssetPaths.FLATCAR_IMAGE)
                        ? Optional.of(sources.flatcarFile(channel, version, arch, f + ".DIGESTS"))
                        : Optional.empty();
                jobs.add(new AssetJob.Signed(dir + "/" + f, sources.flatcarFile(channel, version, arch, f),
                        sources.flatcarFile(channel, version, arch, f + ".sig"), digests));
            }
        }
        if (r.kubernetesVersion().isPresent()) {
            String k8s = AssetPaths.stripV(r.kubernetesVersion().get());
            String dir = AssetPaths.kubernetesDir(k8s);
            for (String bin : List.of("kubeadm", "kubelet", "kubectl")) {
                jobs.add(new AssetJob.Checksummed(dir + "/bin/" + bin, sources.kubernetesFile(k8s, arch, bin),
                        sources.kubernetesFile(k8s, arch, bin + ".sha256"), "sha256", bin));
            }
            String cni = AssetPaths.stripV(r.cniVersion());
            String cniName = "cni-plugins-linux-" + arch + "-v" + cni + ".tgz";
            jobs.add(new AssetJob.Checksummed(dir + "/cni/cni-plugins.tgz", sources.cniFile(cni, arch, cniName),
                    sources.cniFile(cni, arch, cniName + ".sha256"), "sha256", cniName));
            String crictl = r.crictlOrDefault();
            String crictlName = "crictl-v" + crictl + "-linux-" + arch + ".tar.gz";
            jobs.add(new AssetJob.FromArchive(dir + "/bin/crictl", sources.crictlFile(crictl, arch, crictlName),
                    sources.crictlFile(crictl, arch, crictlName + ".sha256"), "sha256", crictlName, "crictl"));
            for (String image : r.images()) {
                String name = image.substring(image.lastIndexOf('/') + 1);
                String target = image.contains("/") ? AssetPaths.checkRelative(image) : dir + "/images/" + AssetPaths.checkRelative(name);
                URI url = sources.imageFile(name).orElseThrow(() -> new IllegalArgumentException(
                        "image archive '" + image + "' requested but no image mirror URL is configured (--images-url)"));
                jobs.add(new AssetJob.Checksummed(target, url, URI.create(url + ".sha256"), "sha256", name));
            }
            for (Path file : r.imageFiles()) {
                String name = file.getFileName().toString();
                jobs.add(new AssetJob.LocalFile(dir + "/images/" + AssetPaths.checkRelative(name), file, file.resolveSibling(name + ".sha256")));
            }
        }
        return jobs;
    }

    /** Runs the jobs, at most {@code parallel} at a time; never throws for one job's failure. */
    public SyncReport run(List<AssetJob> jobs) {
        Semaphore slots = new Semaphore(parallel);
        List<Future<List<SyncReport.Outcome>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AssetJob job : jobs) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return runOne(job);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<SyncReport.Outcome> out = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                out.addAll(futures.get(i).get());
            } catch (Exception e) {
                out.add(new SyncReport.Outcome(jobs.get(i).target(), SyncReport.Result.FAILED, String.valueOf(e.getCause())));
            }
        }
        return new SyncReport(out);
    }

    private List<SyncReport.Outcome> runOne(AssetJob job) {
        if (job.installs().stream().allMatch(store::isCurrent)) {
            return job.installs().stream().map(p -> new SyncReport.Outcome(p, SyncReport.Result.PRESENT, "verified earlier")).toList();
        }
        try {
            List<SyncReport.Outcome> r = attempt(job);
            return r;
        } catch (VerificationException e) {
            log.warn("{}: {}", job.target(), e.getMessage());
            progress.finished(job.target(), false, e.getMessage());
            return List.of(new SyncReport.Outcome(job.target(), SyncReport.Result.FAILED, "verification failed: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            log.warn("{}: {}", job.target(), e.toString());
            progress.finished(job.target(), false, e.getMessage());
            return List.of(new SyncReport.Outcome(job.target(), SyncReport.Result.FAILED, e.getMessage()));
        }
    }

    /** Verifies; on failure after a resume, retries once from zero. */
    private List<SyncReport.Outcome> attempt(AssetJob job) throws IOException, VerificationException {
        Path part = store.partial(job.target());
        boolean resumed = Files.exists(part) && Files.size(part) > 0;
        try {
            return execute(job);
        } catch (VerificationException e) {
            store.discard(part);
            if (!resumed) {
                throw e;
            }
            log.info("{}: verification failed after a resumed download; fetching it again from the start", job.target());
            try {
                return execute(job);
            } catch (VerificationException again) {
                store.discard(part);
                throw again;
            }
        }
    }

    private List<SyncReport.Outcome> execute(AssetJob job) throws IOException, VerificationException {
        return switch (job) {
            case AssetJob.Signed s -> signed(s);
            case AssetJob.Checksummed c -> checksummed(c);
            case AssetJob.FromArchive a -> fromArchive(a);
            case AssetJob.LocalFile l -> localFile(l);
            case AssetJob.KnownDigest k -> knownDigest(k);
        };
    }

    private List<SyncReport.Outcome> signed(AssetJob.Signed s) throws IOException, VerificationException {
        byte[] sig = fetcher.fetchSmall(s.signatureUrl());
        Path part = store.partial(s.target());
        fetcher.fetchTo(s.url(), part, s.target(), progress);
        String keyId = flatcarKey.verify(part, sig);
        byte[] digests = null;
        if (s.digestsUrl().isPresent()) {
            digests = fetcher.fetchSmall(s.digestsUrl().get());
            String name = s.target().substring(s.target().lastIndexOf('/') + 1);
            String listed = ChecksumFile.find(new String(digests, StandardCharsets.UTF_8), "sha512", name)
                    .orElseThrow(() -> new VerificationException(name + ".DIGESTS lists no SHA512 for " + name));
            if (!listed.equals(Digests.hex("sha512", part))) {
                throw new VerificationException(name + ": SHA-512 differs from " + name + ".DIGESTS");
            }
        }
        Path sigPart = store.partial(s.target() + ".sig");
        write(sigPart, sig);
        String source = s.url().toString();
        store.install(part, s.target(), source, "openpgp:" + keyId);
        store.install(sigPart, s.target() + ".sig", s.signatureUrl().toString(), "openpgp-signature-of:" + s.target());
        List<SyncReport.Outcome> out = new ArrayList<>();
        out.add(new SyncReport.Outcome(s.target(), SyncReport.Result.FETCHED, "good signature by " + keyId));
        out.add(new SyncReport.Outcome(s.target() + ".sig", SyncReport.Result.FETCHED, "signature"));
        if (digests != null) {
            Path dPart = store.partial(s.target() + ".DIGESTS");
            write(dPart, digests);
            store.install(dPart, s.target() + ".DIGESTS", s.digestsUrl().get().toString(), "sha512-consistent-with:" + s.target());
            out.add(new SyncReport.Outcome(s.target() + ".DIGESTS", SyncReport.Result.FETCHED, "matches the signed file"));
        }
        progress.finished(s.target(), true, "good signature by " + keyId);
        return out;
    }

    private List<SyncReport.Outcome> checksummed(AssetJob.Checksummed c) throws IOException, VerificationException {
        Path part = store.partial(c.target());
        fetcher.fetchTo(c.url(), part, c.target(), progress);
        checkDigest(part, c.checksumUrl(), c.algorithm(), c.nameInChecksums());
        store.install(part, c.target(), c.url().toString(), c.algorithm() + ":" + c.checksumUrl());
        progress.finished(c.target(), true, c.algorithm() + " ok");
        return List.of(new SyncReport.Outcome(c.target(), SyncReport.Result.FETCHED, c.algorithm() + " matches " + c.checksumUrl()));
    }

    private List<SyncReport.Outcome> fromArchive(AssetJob.FromArchive a) throws IOException, VerificationException {
        Path archive = store.partial(a.target() + ".archive");
        fetcher.fetchTo(a.archiveUrl(), archive, a.target(), progress);
        try {
            checkDigest(archive, a.checksumUrl(), a.algorithm(), a.archiveName());
        } catch (VerificationException e) {
            store.discard(archive);
            throw e;
        }
        Path part = store.partial(a.target());
        boolean found = false;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String n = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (n.equals(a.member())) {
                    try (OutputStream out = Files.newOutputStream(part)) {
                        e.content().transferTo(out);
                    }
                    found = true;
                    break;
                }
            }
        }
        store.discard(archive);
        if (!found) {
            throw new VerificationException(a.archiveName() + " has no member '" + a.member() + "'");
        }
        part.toFile().setExecutable(true, false);
        store.install(part, a.target(), a.archiveUrl() + "#" + a.member(), a.algorithm() + ":" + a.checksumUrl() + " (extracted)");
        progress.finished(a.target(), true, "extracted from verified " + a.archiveName());
        return List.of(new SyncReport.Outcome(a.target(), SyncReport.Result.FETCHED, "extracted from verified " + a.archiveName()));
    }

    private List<SyncReport.Outcome> localFile(AssetJob.LocalFile l) throws IOException, VerificationException {
        if (!Files.isRegularFile(l.checksumFile())) {
            throw new VerificationException(l.file() + ": no checksum file " + l.checksumFile().getFileName()
                    + " beside it (make one with: sha256sum " + l.file().getFileName() + " > " + l.checksumFile().getFileName() + ")");
        }
        Path part = store.partial(l.target());
        Files.createDirectories(part.getParent());
        Files.copy(l.file(), part, StandardCopyOption.REPLACE_EXISTING);
        String expected = ChecksumFile.find(Files.readString(l.checksumFile()), "sha256", l.file().getFileName().toString())
                .orElseThrow(() -> new VerificationException(l.checksumFile() + " lists no sha256 for " + l.file().getFileName()));
        if (!expected.equals(Digests.sha256(part))) {
            throw new VerificationException(l.file() + ": sha256 differs from " + l.checksumFile().getFileName());
        }
        store.install(part, l.target(), l.file().toUri().toString(), "sha256:" + l.checksumFile().toUri());
        return List.of(new SyncReport.Outcome(l.target(), SyncReport.Result.FETCHED, "imported, sha256 ok"));
    }

    private List<SyncReport.Outcome> knownDigest(AssetJob.KnownDigest k) throws IOException, VerificationException {
        String expected = k.hex().strip().toLowerCase(Locale.ROOT);
        if (expected.length() != Digests.hexLength(k.algorithm()) || !expected.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("'" + k.hex() + "' is not a " + k.algorithm() + " digest");
        }
        Path part = store.partial(k.target());
        Files.createDirectories(part.getParent());
        Files.copy(k.file(), part, StandardCopyOption.REPLACE_EXISTING);
        if (!expected.equals(Digests.hex(k.algorithm(), part))) {
            throw new VerificationException(k.file() + ": " + k.algorithm() + " differs from the one given");
        }
        store.install(part, k.target(), k.file().toUri().toString(), k.algorithm() + ":given-by-operator");
        return List.of(new SyncReport.Outcome(k.target(), SyncReport.Result.FETCHED, "added, " + k.algorithm() + " ok"));
    }

    private void checkDigest(Path file, URI checksumUrl, String algorithm, String name) throws IOException, VerificationException {
        String text = new String(fetcher.fetchSmall(checksumUrl), StandardCharsets.UTF_8);
        String expected = ChecksumFile.find(text, algorithm, name)
                .orElseThrow(() -> new VerificationException(checksumUrl + " lists no " + algorithm + " for " + name));
        String actual = Digests.hex(algorithm, file);
        if (!expected.equals(actual)) {
            throw new VerificationException(name + ": " + algorithm + " " + actual + " differs from " + expected + " published in " + checksumUrl);
        }
    }

    /** Reads the channel's current version from its signed {@code current/version.txt}. */
    String resolveCurrentFlatcar(String channel, String arch) throws IOException, VerificationException {
        URI url = sources.flatcarFile(channel, "current", arch, AssetPaths.FLATCAR_VERSION_TXT);
        byte[] sig;
        byte[] text;
        try {
            text = fetcher.fetchSmall(url);
            sig = fetcher.fetchSmall(URI.create(url + ".sig"));
        } catch (FetchException e) {
            throw new IOException("cannot find the current " + channel + " release: " + e.getMessage() + " (give --flatcar " + channel + ":VERSION)", e);
        }
        Path tmp = store.partial("flatcar/" + channel + "-current-version.txt");
        write(tmp, text);
        try {
            flatcarKey.verify(tmp, sig);
        } catch (VerificationException e) {
            throw new VerificationException(url + " (to find the current " + channel + " release): " + e.getMessage(), e);
        } finally {
            store.discard(tmp);
        }
        for (String line : new String(text, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.startsWith("FLATCAR_VERSION=")) {
                return AssetPaths.checkVersion(line.substring("FLATCAR_VERSION=".length()).strip());
            }
        }
        throw new VerificationException(url + " has no FLATCAR_VERSION line");
    }

    /**
     * Writes {@code <dir>/SHA256SUMS} (sha256sum format, paths relative to {@code dir}) from the
     * verified entries under {@code dir}, so nodes can {@code sha256sum -c} what they fetched.
     */
    public SyncReport.Outcome writeSha256Sums(String dir) throws IOException {
        String target = dir + "/SHA256SUMS";
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new LinkedHashSet<>();
        for (ManifestEntry e : store.catalog().entries()) {
            if (e.path().startsWith(dir + "/") && !e.path().equals(target) && store.isCurrent(e.path()) && seen.add(e.path())) {
                sb.append(e.sha256()).append("  ").append(e.path().substring(dir.length() + 1)).append('\n');
            }
        }
        Path part = store.partial(target);
        write(part, sb.toString().getBytes(StandardCharsets.UTF_8));
        store.install(part, target, "generated", "generated");
        return new SyncReport.Outcome(target, SyncReport.Result.FETCHED, "written (" + seen.size() + " files)");
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
