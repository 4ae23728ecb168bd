package io.yoo.installer.core.assets.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.assets.AssetBundle;
import io.yoo.installer.core.assets.AssetStore;
import io.yoo.installer.core.assets.ManifestEntry;
import io.yoo.installer.core.assets.SyncReport;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.tar.TarReader;
import io.yoo.installer.core.assets.verify.Digests;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import io.yoo.installer.core.kubernetes.ClusterImages;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImagePuller} against a real registry: Debian's docker-registry on loopback, behind a
 * token-auth front ({@link TokenGate}); images built offline with umoci and pushed with skopeo;
 * the archives checked with skopeo ({@code oci-archive:}) as an independent reader.
 */
class RegistryPeerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String K8S = "1.32.3";

    @TempDir
    static Path dir;
    static RegistryPeer registry;
    static TokenGate gate;
    static Path layout;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryPeer.start(Files.createDirectories(dir.resolve("registry")));
        gate = new TokenGate(URI.create("http://" + registry.hostPort()));
        layout = dir.resolve("layout");
        RegistryPeer.buildImage(layout, "a", "amd64", 64 << 10, 1);
        RegistryPeer.buildImage(layout, "b", "amd64", 64 << 10, 3);
        RegistryPeer.buildImage(layout, "arm", "arm64", 16 << 10, 2);
        ClusterImages images = KubernetesImages.forVersion(K8S, "flannel", true);
        for (ImageReference r : images.kubeadm()) {
            if (r.repository().equals("pause")) {
                continue;
            }
            registry.push(layout, "a", r.repository(), r.tag());
        }
        for (ImageReference r : images.cni()) {
            registry.push(layout, "b", r.repository(), r.tag());
        }
        registry.push(layout, "b", images.kubeVip().orElseThrow().repository(), images.kubeVip().orElseThrow().tag());
        // pause as a manifest list (linux/arm64 first, so picking the first entry would be wrong)
        registry.push(layout, "a", "pause", "amd64");
        registry.push(layout, "arm", "pause", "arm64");
        putIndex("pause", images.sandboxImage().tag(), Map.of("arm64", manifestRef("pause", "arm64"), "amd64", manifestRef("pause", "amd64")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private ImagePuller puller(Path assets) throws Exception {
        RegistryMirrors mirrors = RegistryMirrors.parse(List.of("registry.k8s.io=" + gate.url(), "docker.io=" + gate.url(), "ghcr.io=" + gate.url()));
        return new ImagePuller(new AssetStore(assets), new RegistryClient(ProxySettings.direct(), null, Duration.ofSeconds(20), 3), mirrors, 4,
                ProgressListener.NONE);
    }

    @Test
    void mirrorsTheFullImageSetThroughTokenAuthAsArchivesSkopeoReads() throws Exception {
        Path assets = dir.resolve("assets-full");
        ClusterImages images = KubernetesImages.forVersion(K8S, "flannel", true);
        SyncReport report = puller(assets).pullAll(K8S, images.all(), "amd64");
        assertTrue(report.ok(), report.failures().toString());
        assertEquals(10, report.count(SyncReport.Result.FETCHED));
        assertTrue(gate.tokenScopes.contains("repository:kube-apiserver:pull"), gate.tokenScopes.toString());
        assertTrue(gate.requests.stream().anyMatch(r -> r.startsWith("GET /token")), "tokens were asked for");

        AssetStore store = new AssetStore(assets);
        for (ImageReference r : images.all()) {
            String target = ImagePuller.target(K8S, r);
            assertTrue(store.isCurrent(target), target);
            Path archive = assets.resolve(target);
            JsonNode index = JSON.readTree(member(archive, "index.json"));
            assertEquals(r.name(), index.path("manifests").get(0).path("annotations").path("io.containerd.image.name").asText());
            // an independent reader: skopeo understands the archive and sees a linux/amd64 image
            JsonNode inspect = JSON.readTree(RegistryPeer.inspectArchive(dir, archive));
            assertEquals("amd64", inspect.path("Architecture").asText(), r.name());
            ManifestEntry e = store.manifest().get(target).orElseThrow();
            assertTrue(e.verifiedBy().startsWith("oci:" + r.registry() + "/" + r.repository() + "@sha256:"), e.verifiedBy());
            // the digest recorded while writing the archive is the archive's
            assertEquals(Digests.sha256(archive), e.sha256(), target);
        }
        // the archives hold every blob: the run's blob cache is emptied, not kept as a second copy
        try (var cached = Files.list(assets.resolve(".yoo/oci/blobs/sha256"))) {
            assertEquals(List.of(), cached.toList());
        }
        String pauseBy = store.manifest().get(ImagePuller.target(K8S, images.sandboxImage())).orElseThrow().verifiedBy();
        assertTrue(pauseBy.contains(manifestRef("pause", "amd64").digest()) && pauseBy.contains("linux/amd64"), pauseBy);

        // carried to an air-gapped server in a bundle like every other asset
        Path bundle = dir.resolve("images-bundle.tar");
        new AssetBundle(store, OpenPgpVerifier.flatcar())
                .export(bundle, List.of("kubernetes/" + K8S + "/images"));
        AssetStore site = new AssetStore(dir.resolve("assets-site"));
        SyncReport imported = new AssetBundle(site, OpenPgpVerifier.flatcar())
                .importFrom(bundle);
        assertTrue(imported.ok(), imported.toString());
        for (ImageReference r : images.all()) {
            String target = ImagePuller.target(K8S, r);
            assertTrue(site.isCurrent(target), target);
            assertEquals(store.manifest().get(target).orElseThrow().verifiedBy(), site.manifest().get(target).orElseThrow().verifiedBy());
        }

        // again: nothing fetched
        int before = gate.requests.size();
        SyncReport again = puller(assets).pullAll(K8S, images.all(), "amd64");
        assertEquals(10, again.count(SyncReport.Result.PRESENT));
        assertEquals(before, gate.requests.size());
    }

    @Test
    void aTamperedBlobIsRefusedAndNothingIsStored() throws Exception {
        RegistryPeer.buildImage(layout, "victim", "amd64", 32 << 10, 4);
        registry.push(layout, "victim", "tamper/victim", "1");
        Ref m = manifestRef("tamper/victim", "1");
        String layer = m.json().path("layers").get(0).path("digest").asText();
        Path data = registry.blobData(layer);
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        Path assets = dir.resolve("assets-tamper");
        ImageReference ref = ImageReference.parse("registry.k8s.io/tamper/victim:1");
        SyncReport report = puller(assets).pullAll(K8S, List.of(ref), "amd64");
        assertEquals(1, report.count(SyncReport.Result.FAILED), report.toString());
        assertTrue(report.failures().get(0).message().contains("refused"), report.failures().get(0).message());
        assertFalse(Files.exists(assets.resolve(ImagePuller.target(K8S, ref))));
        assertTrue(new AssetStore(assets).manifest().entries().isEmpty());
        assertFalse(Files.exists(assets.resolve(".yoo/oci/blobs/sha256/" + layer.substring(7))));
        assertFalse(Files.exists(assets.resolve(".yoo/partial/oci/blobs/" + layer.substring(7) + ".part")));
    }

    @Test
    void aBrokenBlobTransferResumesWithRange() throws Exception {
        RegistryPeer.buildImage(layout, "big", "amd64", 1 << 20, 5);
        registry.push(layout, "big", "resume/img", "1");
        String layer = biggestLayer(manifestRef("resume/img", "1").json());
        TokenGate.resetBreak(gate);
        gate.breakAfter = 200_000;
        gate.breakBlob = layer;
        try {
            Path assets = dir.resolve("assets-resume");
            ImageReference ref = ImageReference.parse("registry.k8s.io/resume/img:1");
            SyncReport report = puller(assets).pullAll(K8S, List.of(ref), "amd64");
            assertTrue(report.ok(), report.toString());
            assertTrue(gate.broke());
            assertTrue(gate.requests.stream().anyMatch(r -> r.contains("/blobs/" + layer + " bytes=") && !r.endsWith("bytes=0-")),
                    gate.requests.toString());
            RegistryPeer.inspectArchive(dir, assets.resolve(ImagePuller.target(K8S, ref)));
        } finally {
            gate.breakBlob = null;
        }
    }

    /** A sync that dies mid-blob leaves the bytes it had; the next run asks only for the rest. */
    @Test
    void anInterruptedSyncContinuesWhereItStoppedOnTheNextRun() throws Exception {
        RegistryPeer.buildImage(layout, "big2", "amd64", 1 << 20, 8);
        registry.push(layout, "big2", "resume/again", "1");
        String layer = biggestLayer(manifestRef("resume/again", "1").json());
        Path assets = dir.resolve("assets-interrupted");
        ImageReference ref = ImageReference.parse("registry.k8s.io/resume/again:1");
        RegistryMirrors mirrors = RegistryMirrors.parse(List.of("registry.k8s.io=" + gate.url()));
        TokenGate.resetBreak(gate);
        gate.breakAfter = 300_000;
        gate.breakBlob = layer;
        try {
            // one attempt only: the run ends with the blob half there, as if the process had died
            ImagePuller once = new ImagePuller(new AssetStore(assets), new RegistryClient(ProxySettings.direct(), null, Duration.ofSeconds(20), 1),
                    mirrors, 1, ProgressListener.NONE);
            assertEquals(1, once.pullAll(K8S, List.of(ref), "amd64").count(SyncReport.Result.FAILED));
        } finally {
            gate.breakBlob = null;
        }
        Path part = assets.resolve(".yoo/partial/oci/blobs/" + layer.substring(7) + ".part");
        long kept = Files.size(part);
        assertTrue(kept > 0, "bytes kept from the broken run");
        SyncReport second = puller(assets).pullAll(K8S, List.of(ref), "amd64");
        assertTrue(second.ok(), second.toString());
        assertTrue(gate.requests.contains("GET /v2/resume/again/blobs/" + layer + " bytes=" + kept + "-"), gate.requests.toString());
    }

    @Test
    void theTokenIsNotSentToTheHostABlobRedirectsTo() throws Exception {
        RegistryPeer.buildImage(layout, "redir", "amd64", 8 << 10, 6);
        registry.push(layout, "redir", "redirect/img", "1");
        gate.cdnAuthorization.clear();
        gate.redirectBlobs = true;
        try {
            Path assets = dir.resolve("assets-redirect");
            SyncReport report = puller(assets).pullAll(K8S, List.of(ImageReference.parse("registry.k8s.io/redirect/img:1")), "amd64");
            assertTrue(report.ok(), report.toString());
            assertFalse(gate.cdnAuthorization.isEmpty());
            assertTrue(gate.cdnAuthorization.stream().allMatch("none"::equals), gate.cdnAuthorization.toString());
        } finally {
            gate.redirectBlobs = false;
        }
    }

    /** registry.k8s.io redirects every request to a regional host; that host asks for the token. */
    @Test
    void aRegistryThatRedirectsToAHostThatChallenges() throws Exception {
        RegistryPeer.buildImage(layout, "regional", "amd64", 8 << 10, 7);
        registry.push(layout, "regional", "regional/img", "1");
        gate.redirectAll = true;
        gate.cdnAuthorization.clear();
        gate.originAuthorization.clear();
        try {
            Path assets = dir.resolve("assets-regional");
            SyncReport report = puller(assets).pullAll(K8S, List.of(ImageReference.parse("registry.k8s.io/regional/img:1")), "amd64");
            assertTrue(report.ok(), report.toString());
            assertTrue(gate.cdnAuthorization.stream().anyMatch(a -> a.startsWith("Bearer ")), gate.cdnAuthorization.toString());
            // the token went to the host that asked for it, not back to the registry's own address
            assertTrue(gate.originAuthorization.stream().allMatch("none"::equals), gate.originAuthorization.toString());
        } finally {
            gate.redirectAll = false;
        }
    }

    // ---- helpers

    record Ref(String digest, long size, byte[] body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private static String biggestLayer(JsonNode manifest) {
        JsonNode best = null;
        for (JsonNode l : manifest.path("layers")) {
            if (best == null || l.path("size").asLong() > best.path("size").asLong()) {
                best = l;
            }
        }
        return best.path("digest").asText();
    }

    static Ref manifestRef(String repo, String tag) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.hostPort() + "/v2/" + repo + "/manifests/" + tag))
                .header("Accept", RegistryClient.OCI_MANIFEST + ", " + RegistryClient.DOCKER_MANIFEST).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body()));
        return new Ref(r.headers().firstValue("Docker-Content-Digest").orElseThrow(), r.body().length, r.body());
    }

    private static void putIndex(String repo, String tag, Map<String, Ref> byArch) throws Exception {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_INDEX + "\",\"manifests\":[");
        String sep = "";
        for (Map.Entry<String, Ref> e : new TreeMap<>(byArch).entrySet()) {
            sb.append(sep).append("{\"mediaType\":\"").append(RegistryClient.OCI_MANIFEST).append("\",\"digest\":\"").append(e.getValue().digest())
                    .append("\",\"size\":").append(e.getValue().size()).append(",\"platform\":{\"architecture\":\"").append(e.getKey())
                    .append("\",\"os\":\"linux\"}}");
            sep = ",";
        }
        sb.append("]}");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.hostPort() + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", RegistryClient.OCI_INDEX).PUT(HttpRequest.BodyPublishers.ofString(sb.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    static byte[] member(Path tar, String name) throws Exception {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            TarReader t = new TarReader(in);
            for (TarReader.Entry e = t.next(); e != null; e = t.next()) {
                if (e.name().equals(name)) {
                    found.put(name, e.content().readAllBytes());
                }
            }
        }
        return found.get(name);
    }
}
