package io.yoo.installer.core.assets;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.assets.fetch.HttpFetcher;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.fetch.TrustedCertificates;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads through real proxies (tinyproxy, dante), as sites behind a firewall do. */
class ProxyPeerSyncTest {
    private static TestKeys key;

    @TempDir
    Path assets;

    @TempDir
    Path proxyDir;

    private FixtureRelease release;

    @TempDir
    static Path tlsDir;

    private static javax.net.ssl.SSLContext serverTls;

    /** One self-signed certificate per class: keytool is slow on a busy machine. */
    private static synchronized javax.net.ssl.SSLContext serverTls() throws Exception {
        if (serverTls == null) {
            serverTls = FixtureRelease.selfSignedTls(tlsDir);
        }
        return serverTls;
    }

    @BeforeAll
    static void keys() {
        key = TestKeys.generate("Test Release Signing <release@example.test>");
    }

    @BeforeEach
    void start() throws Exception {
        release = new FixtureRelease(key);
    }

    @AfterEach
    void stop() {
        release.close();
    }

    private SyncReport syncThrough(ProxySettings proxy) throws Exception {
        AssetSync sync = new AssetSync(new AssetStore(assets), new HttpFetcher(proxy, Duration.ofSeconds(10), 3),
                OpenPgpVerifier.of(key.publicKey()), release.sources(), 3, ProgressListener.NONE);
        return sync.sync(release.request(Optional.of(FixtureRelease.FLATCAR), List.of("pause-3.10.tar")));
    }

    @Test
    void syncGoesThroughTinyproxy() throws Exception {
        try (ProxyPeer proxy = ProxyPeer.tinyproxy(proxyDir)) {
            SyncReport report = syncThrough(ProxySettings.parse("http://127.0.0.1:" + proxy.port()));

            assertThat(report.failures()).isEmpty();
            assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
            // every request reached the release server via the proxy, which stamps Via
            assertThat(release.requests).isNotEmpty().allSatisfy(r -> assertThat(r.via()).as(r.path()).contains("yoo-test-tinyproxy"));
            assertThat(proxy.log()).contains("/flatcar/stable/amd64-usr/4081.2.0/flatcar_production_image.bin.bz2")
                    .contains("/k8s/release/v1.31.4/bin/linux/amd64/kubelet");
        }
    }

    @Test
    void resumeWorksThroughTinyproxy() throws Exception {
        String image = FixtureRelease.flatcarPath(FixtureRelease.FLATCAR, "flatcar_production_image.bin.bz2");
        release.dropOnce.put(image, 600_000);
        try (ProxyPeer proxy = ProxyPeer.tinyproxy(proxyDir)) {
            SyncReport report = syncThrough(ProxySettings.parse("http://127.0.0.1:" + proxy.port()));
            assertThat(report.failures()).isEmpty();
            assertThat(release.requests.stream().filter(r -> r.path().equals(image)).map(FixtureRelease.Request::range))
                    .last().asString().startsWith("bytes=");
            assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
        }
    }

    @Test
    void httpsMirrorThroughTinyproxyUsesConnect() throws Exception {
        try (FixtureRelease https = new FixtureRelease(key, serverTls());
                ProxyPeer proxy = ProxyPeer.tinyproxy(proxyDir)) {
            AssetSync sync = new AssetSync(new AssetStore(assets),
                    new HttpFetcher(ProxySettings.parse("http://127.0.0.1:" + proxy.port()), Duration.ofSeconds(10), 3,
                            TrustedCertificates.withExtraCas(tlsDir.resolve("ca.pem"))),
                    OpenPgpVerifier.of(key.publicKey()), https.sources(), 3, ProgressListener.NONE);
            SyncReport report = sync.sync(https.request(Optional.of(FixtureRelease.FLATCAR), List.of()));

            assertThat(report.failures()).isEmpty();
            assertThat(AssetCatalog.open(assets).isServable("flatcar/stable/4081.2.0/flatcar_production_image.bin.bz2")).isTrue();
            // inside the tunnel the proxy cannot add Via; its log shows the CONNECTs instead
            assertThat(https.requests).isNotEmpty().allSatisfy(r -> assertThat(r.via()).isNull());
            assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + https.port());
        }
    }

    @Test
    void untrustedHttpsMirrorIsRefused() throws Exception {
        try (FixtureRelease https = new FixtureRelease(key, serverTls())) {
            AssetSync sync = new AssetSync(new AssetStore(assets), new HttpFetcher(ProxySettings.direct(), Duration.ofSeconds(5), 1),
                    OpenPgpVerifier.of(key.publicKey()), https.sources(), 3, ProgressListener.NONE);
            SyncReport report = sync.run(sync.plan(new SyncRequest(Optional.empty(), Optional.empty(), Optional.of(FixtureRelease.K8S),
                    FixtureRelease.CNI, Optional.empty(), List.of(), List.of(), "amd64")));
            assertThat(report.ok()).isFalse();
            assertThat(report.failures()).allSatisfy(f -> assertThat(f.message()).containsIgnoringCase("certificat"));
        }
    }

    @Test
    void syncGoesThroughDanteSocks5() throws Exception {
        try (ProxyPeer proxy = ProxyPeer.dante(proxyDir)) {
            SyncReport report = syncThrough(ProxySettings.parse("socks5://127.0.0.1:" + proxy.port()));

            assertThat(report.failures()).isEmpty();
            assertThat(AssetCatalog.open(assets).isServable("kubernetes/1.31.4/bin/kubeadm")).isTrue();
            // dante logged the connections it passed to the release server's port
            String log = proxy.log();
            long passed = log.lines().filter(l -> l.contains("pass") && l.contains("127.0.0.1." + release.port())).count();
            assertThat(passed).as("dante log:\n%s", log).isGreaterThan(0);
        }
    }

    @Test
    void deadProxyIsAClearFailureNotADirectDownload() throws Exception {
        // a port nobody listens on: the sync must fail rather than quietly bypass the proxy
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AssetSync sync = new AssetSync(new AssetStore(assets), new HttpFetcher(ProxySettings.parse("http://127.0.0.1:" + port), Duration.ofSeconds(2), 1),
                OpenPgpVerifier.of(key.publicKey()), release.sources(), 3, ProgressListener.NONE);
        SyncReport report = sync.run(sync.plan(new SyncRequest(Optional.empty(), Optional.empty(), Optional.of(FixtureRelease.K8S), FixtureRelease.CNI,
                Optional.empty(), List.of(), List.of(), "amd64")));
        assertThat(report.ok()).isFalse();
        assertThat(release.requests).isEmpty();
    }
}
