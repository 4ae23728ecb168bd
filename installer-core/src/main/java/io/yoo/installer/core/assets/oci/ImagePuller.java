package io.yoo.installer.core.assets.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.core.assets.AssetPaths;
import io.yoo.installer.core.assets.AssetStore;
import io.yoo.installer.core.assets.SyncReport;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.tar.TarWriter;
import io.yoo.installer.core.assets.verify.Digests;
import io.yoo.installer.core.assets.verify.VerificationException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls images from registries into the asset directory as OCI image-layout tarballs that
 * {@code ctr -n k8s.io images import} loads (and {@code skopeo}/{@code podman} read as
 * {@code oci-archive:}). For each image: the manifest (an index or manifest list is narrowed to
 * {@code linux/<arch>}), then its config and layers, each hashed while streaming and kept only if
 * it matches its descriptor; an image's blobs are fetched concurrently (bounded over the run).
 * Verified blobs are cached under {@code .yoo/oci/blobs} (never served) while the run lasts, so
 * images sharing layers fetch nothing twice; once the archives are installed the cache entries of
 * installed images are deleted (the archive holds them), those of failed images kept for a re-run. The archive is written to
 * {@code .yoo/partial/}, then installed through {@link AssetStore}, whose manifest records the
 * image's name and manifest digest ({@code verifiedBy = oci:<registry>/<repo>@sha256:...}).
 *
 * <p>In the archive, {@code index.json} has one entry, the platform manifest, annotated with
 * {@code io.containerd.image.name} (the full original name: what containerd records and kubelet
 * looks for) and {@code org.opencontainers.image.ref.name} (the tag, for other OCI tools).
 */
public final class ImagePuller {
    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No single layer of a control-plane image comes near this; a registry saying otherwise is refused. */
    static final long MAX_BLOB = 4L << 30;
    static final long MAX_CONFIG = 16L << 20;
    static final int MAX_LAYERS = 256;
    /** Fixed archive timestamps: the same image always yields the same archive bytes. */
    private static final long MTIME = 0;

    private final AssetStore store;
    private final RegistryClient client;
    private final RegistryMirrors mirrors;
    private final int parallel;
    private final ProgressListener progress;
    private final Map<String, Object> blobLocks = new ConcurrentHashMap<>();
    private final Set<String> verifiedThisRun = ConcurrentHashMap.newKeySet();
    /** Blob transfers at once, over all images: twice the image slots, since most images wait on their largest layer. */
    private final Semaphore blobSlots;
    /** Image name -> the blobs its archive was assembled from, for {@link #dropCachedBlobs}. */
    private final Map<String, List<String>> pulledBlobs = new ConcurrentHashMap<>();

    public ImagePuller(AssetStore store, RegistryClient client, RegistryMirrors mirrors, int parallel, ProgressListener progress) {
        this.store = store;
        this.client = client;
        this.mirrors = mirrors;
        this.parallel = Math.max(1, parallel);
        this.blobSlots = new Semaphore(2 * this.parallel);
        this.progress = progress;
    }

    /** Where the archive of {@code image} lives for Kubernetes {@code version}. */
    public static String target(String kubernetesVersion, ImageReference image) {
        return AssetPaths.kubernetesDir(AssetPaths.stripV(kubernetesVersion)) + "/images/" + image.archiveName();
    }

    /** Pulls every image (at most {@code parallel} at a time); never throws for one image's failure. */
    public SyncReport pullAll(String kubernetesVersion, List<ImageReference> images, String arch) {
        Semaphore slots = new Semaphore(parallel);
        List<Future<SyncReport.Outcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ImageReference image : images) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return pullOne(image, target(kubernetesVersion, image), arch);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<SyncReport.Outcome> out = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (int i = 0; i < images.size(); i++) {
            SyncReport.Outcome o;
            try {
                o = futures.get(i).get();
            } catch (Exception e) {
                o = new SyncReport.Outcome(target(kubernetesVersion, images.get(i)), SyncReport.Result.FAILED, String.valueOf(e.getCause()));
            }
            if (o.result() == SyncReport.Result.FAILED) {
                failed.add(images.get(i).name());
            }
            out.add(o);
        }
        dropCachedBlobs(failed);
        return new SyncReport(out);
    }

    SyncReport.Outcome pullOne(ImageReference image, String target, String arch) {
        if (store.isCurrent(target)) {
            return new SyncReport.Outcome(target, SyncReport.Result.PRESENT, "verified earlier");
        }
        try {
            String how = pull(image, target, arch);
            progress.finished(image.name(), true, how);
            return new SyncReport.Outcome(target, SyncReport.Result.FETCHED, image.name() + ": " + how);
        } catch (VerificationException e) {
            log.warn("{}: {}", image, e.getMessage());
            progress.finished(image.name(), false, e.getMessage());
            return new SyncReport.Outcome(target, SyncReport.Result.FAILED, "verification failed: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("{}: {}", image, e.toString());
            progress.finished(image.name(), false, e.getMessage());
            return new SyncReport.Outcome(target, SyncReport.Result.FAILED, image.name() + ": " + e.getMessage());
        }
    }

    /** Pulls {@code image} into {@code target}; returns how it was verified. */
    public String pull(ImageReference image, String target, String arch) throws IOException, VerificationException {
        URI base = mirrors.baseFor(image.registry());
        String repo = image.repository();
        RegistryClient.Manifest top = client.manifest(base, repo, image.tag());
        RegistryClient.Manifest manifest = top;
        if (top.isIndex()) {
            String digest = selectPlatform(top, arch, image);
            manifest = client.manifest(base, repo, digest);
            if (manifest.isIndex()) {
                throw new VerificationException(image + ": the linux/" + arch + " entry of its index is another index");
            }
        }
        if (!manifest.mediaType().equals(RegistryClient.OCI_MANIFEST) && !manifest.mediaType().equals(RegistryClient.DOCKER_MANIFEST)) {
            throw new VerificationException(image + ": unsupported manifest type '" + manifest.mediaType() + "'");
        }
        JsonNode m = manifest.json();
        List<Blob> blobs = new ArrayList<>();
        blobs.add(descriptor(image, m.path("config"), MAX_CONFIG));
        JsonNode layers = m.path("layers");
        if (!layers.isArray() || layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new VerificationException(image + ": manifest has no layers or more than " + MAX_LAYERS);
        }
        for (JsonNode l : layers) {
            blobs.add(descriptor(image, l, MAX_BLOB));
        }
        // recorded before fetching: if this image fails, blobs it shares with others stay cached
        pulledBlobs.put(image.name(), blobs.stream().map(Blob::digest).toList());
        fetchBlobs(base, image, blobs);
        Path part = store.partial(target);
        String archiveSha256 = writeLayout(part, image, manifest, blobs, arch);
        String verifiedBy = "oci:" + image.registry() + "/" + repo + "@" + manifest.digest()
                + (top != manifest ? " (index " + top.digest() + ", linux/" + arch + ")" : "");
        store.install(part, target, base + "/v2/" + repo + "/manifests/" + image.tag() + " as " + image.name(), verifiedBy, archiveSha256);
        return manifest.digest() + ", " + blobs.size() + " blobs verified";
    }

    private static String selectPlatform(RegistryClient.Manifest index, String arch, ImageReference image) throws VerificationException {
        for (JsonNode d : index.json().path("manifests")) {
            JsonNode p = d.path("platform");
            if ("linux".equals(p.path("os").asText()) && arch.equals(p.path("architecture").asText())
                    && RegistryClient.isDigest(d.path("digest").asText())) {
                return d.path("digest").asText();
            }
        }
        throw new VerificationException(image + ": its index has no linux/" + arch + " manifest");
    }

    /** A blob named by a manifest: digest and size checked before anything is fetched. */
    record Blob(String digest, long size, String mediaType) {
        String hex() {
            return digest.substring("sha256:".length());
        }
    }

    private static Blob descriptor(ImageReference image, JsonNode d, long max) throws VerificationException {
        String digest = d.path("digest").asText();
        long size = d.path("size").asLong(-1);
        if (!RegistryClient.isDigest(digest) || size < 0 || size > max) {
            throw new VerificationException(image + ": descriptor with digest '" + digest + "' and size " + size
                    + " refused (sha256 and at most " + max + " bytes)");
        }
        return new Blob(digest, size, d.path("mediaType").asText(""));
    }

    private Path cached(Blob b) {
        return store.assetDir().resolve(AssetPaths.META_DIR).resolve("oci/blobs/sha256").resolve(b.hex());
    }

    /**
     * Fetches an image's blobs concurrently (real control-plane images have several layers, and one
     * slow layer should not hold up the rest), at most {@link #blobSlots} transfers in the whole run.
     * The first failure is thrown once every transfer of the image has ended.
     */
    private void fetchBlobs(URI base, ImageReference image, List<Blob> blobs) throws IOException, VerificationException {
        List<Future<Void>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Blob b : blobs) {
                running.add(pool.submit(() -> {
                    blobSlots.acquire();
                    try {
                        fetchBlob(base, image, b);
                        return null;
                    } finally {
                        blobSlots.release();
                    }
                }));
            }
        }
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(image + ": interrupted", e);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case VerificationException v -> throw v;
                    case IOException io -> throw io;
                    case RuntimeException r -> throw r;
                    default -> throw new IOException(image + ": " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /**
     * Deletes the cached blobs of the images installed in this run, keeping those any failed image
     * needs (so that a re-run resumes it). The archives hold every byte: keeping the cache too would
     * store each image twice, and writing it back to disk is time the sync does not need to spend.
     */
    private void dropCachedBlobs(Set<String> failedImages) {
        Set<String> keep = new HashSet<>();
        pulledBlobs.forEach((image, digests) -> {
            if (failedImages.contains(image)) {
                keep.addAll(digests);
            }
        });
        for (List<String> digests : pulledBlobs.values()) {
            for (String d : digests) {
                if (!keep.contains(d) && RegistryClient.isDigest(d)) {
                    try {
                        verifiedThisRun.remove(d);
                        Files.deleteIfExists(cached(new Blob(d, 0, "")));
                    } catch (IOException e) {
                        log.debug("could not delete cached blob {}: {}", d, e.toString());
                    }
                }
            }
        }
    }

    /** Makes the verified blob present in the cache, fetching it (with resume) if needed. */
    private void fetchBlob(URI base, ImageReference image, Blob b) throws IOException, VerificationException {
        synchronized (blobLocks.computeIfAbsent(b.digest(), k -> new Object())) {
            Path cache = cached(b);
            if (verifiedThisRun.contains(b.digest())) {
                return;
            }
            if (Files.exists(cache)) {
                // from an earlier run: hash again before trusting it
                if (Files.size(cache) == b.size() && ("sha256:" + Digests.sha256(cache)).equals(b.digest())) {
                    verifiedThisRun.add(b.digest());
                    return;
                }
                Files.delete(cache);
            }
            Path part = store.assetDir().resolve(AssetPaths.META_DIR).resolve("partial/oci/blobs").resolve(b.hex() + ".part");
            client.blob(base, image.repository(), b.digest(), b.size(), part, image.name(), progress);
            Files.createDirectories(cache.getParent());
            Files.move(part, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            verifiedThisRun.add(b.digest());
        }
    }

    /** Writes the archive; returns its SHA-256, computed on the way out. */
    private String writeLayout(Path part, ImageReference image, RegistryClient.Manifest manifest, List<Blob> blobs, String arch) throws IOException {
        Files.createDirectories(part.getParent());
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", RegistryClient.OCI_INDEX);
        ArrayNode ms = index.putArray("manifests");
        ObjectNode d = ms.addObject();
        d.put("mediaType", manifest.mediaType());
        d.put("digest", manifest.digest());
        d.put("size", manifest.body().length);
        ObjectNode ann = d.putObject("annotations");
        ann.put("io.containerd.image.name", image.name());
        ann.put("org.opencontainers.image.ref.name", image.tag());
        ObjectNode platform = d.putObject("platform");
        platform.put("architecture", arch);
        platform.put("os", "linux");
        MessageDigest md = RegistryClient.sha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(part), 1 << 16), md);
                TarWriter tar = new TarWriter(out)) {
            tar.add("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), MTIME);
            tar.add("index.json", JSON.writeValueAsBytes(index), MTIME);
            tar.add("blobs/sha256/" + manifest.digest().substring(7), manifest.body(), MTIME);
            Set<String> written = new HashSet<>();
            for (Blob b : blobs) {
                if (written.add(b.digest())) {
                    tar.add("blobs/sha256/" + b.hex(), cached(b), MTIME);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
