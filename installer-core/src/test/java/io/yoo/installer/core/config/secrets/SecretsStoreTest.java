package io.yoo.installer.core.config.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster secrets: generated once, kept 0600, and what openssl (the real one) says about them. */
class SecretsStoreTest {
    @TempDir
    static Path state;
    static ClusterSecrets secrets;
    static Path dir;

    @BeforeAll
    static void generate() throws IOException {
        SecretsStore store = new SecretsStore(state);
        secrets = store.loadOrCreate(new SecretsGenerator());
        dir = store.directory();
    }

    @Test
    void generatedOnceAndReloadedUnchanged() throws IOException {
        ClusterSecrets again = new SecretsStore(state).loadOrCreate(new SecretsGenerator());
        assertThat(again.kubernetesCa().certPem()).isEqualTo(secrets.kubernetesCa().certPem());
        assertThat(again.kubernetesCa().keyPem()).isEqualTo(secrets.kubernetesCa().keyPem());
        assertThat(again.etcdCa().caCertHash()).isEqualTo(secrets.etcdCa().caCertHash());
        assertThat(again.bootstrapToken()).isEqualTo(secrets.bootstrapToken());
        assertThat(again.certificateKey()).isEqualTo(secrets.certificateKey());
        assertThat(again.serviceAccountKeyPem()).isEqualTo(secrets.serviceAccountKeyPem());
    }

    @Test
    void filesAreReadableByTheOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String f : SecretsStore.FILES) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(SecretsStore.FILES);
        }
    }

    @Test
    void tokenAndCertificateKeyHaveKubeadmsShapes() {
        assertThat(secrets.bootstrapToken()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(secrets.certificateKey()).matches("[a-f0-9]{64}");
        assertThat(secrets.toString()).doesNotContain(secrets.bootstrapToken()).doesNotContain("PRIVATE");
        assertThat(secrets.kubernetesCa().toString()).doesNotContain("PRIVATE").contains("CN=kubernetes");
    }

    @Test
    void anIncompleteDirectoryIsAnErrorNotASilentRegeneration(@TempDir Path other) throws IOException {
        SecretsStore store = new SecretsStore(other);
        store.loadOrCreate(new SecretsGenerator());
        Files.delete(store.directory().resolve("sa.key"));
        assertThatThrownBy(() -> store.loadOrCreate(new SecretsGenerator())).isInstanceOf(IOException.class)
                .hasMessageContaining("sa.key is missing");
    }

    /** A save interrupted before its last file (certificate-key) was never handed out: start over. */
    @Test
    void aSaveInterruptedBeforeItsLastFileIsRedoneNotAnError(@TempDir Path other) throws IOException {
        SecretsStore store = new SecretsStore(other);
        ClusterSecrets first = store.loadOrCreate(new SecretsGenerator());
        Files.delete(store.directory().resolve("certificate-key"));
        assertThat(store.isComplete()).isFalse();
        ClusterSecrets redone = store.loadOrCreate(new SecretsGenerator());
        assertThat(store.isComplete()).isTrue();
        assertThat(redone.kubernetesCa().caCertHash()).isNotEqualTo(first.kubernetesCa().caCertHash());
        assertThat(new SecretsStore(other).load().kubernetesCa().caCertHash()).isEqualTo(redone.kubernetesCa().caCertHash());
    }

    @Test
    void opensslAcceptsEachCaAsASelfSignedCa() throws Exception {
        Peers.requireCommands("openssl");
        for (String ca : List.of("ca", "etcd-ca", "front-proxy-ca")) {
            Path crt = dir.resolve(ca + ".crt");
            assertThat(openssl("verify", "-CAfile", crt.toString(), crt.toString())).contains(": OK");
            String text = openssl("x509", "-in", crt.toString(), "-noout", "-text");
            assertThat(text).contains("CA:TRUE").contains("Certificate Sign").contains("sha256WithRSAEncryption")
                    .contains("Public-Key: (2048 bit)");
            // the private key belongs to the certificate
            String certPub = openssl("x509", "-in", crt.toString(), "-noout", "-pubkey");
            String keyPub = openssl("pkey", "-in", dir.resolve(ca + ".key").toString(), "-pubout");
            assertThat(keyPub).isEqualTo(certPub);
            assertThat(openssl("pkey", "-in", dir.resolve(ca + ".key").toString(), "-noout", "-check")).containsIgnoringCase("valid");
        }
        assertThat(openssl("x509", "-in", dir.resolve("ca.crt").toString(), "-noout", "-subject")).contains("CN").contains("kubernetes");
        // sa.pub is the public half of sa.key
        assertThat(openssl("pkey", "-in", dir.resolve("sa.key").toString(), "-pubout"))
                .isEqualTo(Files.readString(dir.resolve("sa.pub")));
    }

    @Test
    void caCertHashIsWhatKubeadmComputesFromTheCertificate() throws Exception {
        Peers.requireCommands("openssl", "sh", "sha256sum");
        // the pipeline from the kubeadm docs for --discovery-token-ca-cert-hash
        String out = sh("openssl x509 -pubkey -in '" + dir.resolve("ca.crt") + "' | openssl pkey -pubin -outform der | sha256sum");
        assertThat("sha256:" + out.split("\\s+")[0]).isEqualTo(secrets.kubernetesCa().caCertHash());
    }

    @Test
    void eachGenerationMakesDifferentSecrets() {
        ClusterSecrets other = new SecretsGenerator().generate();
        assertThat(other.kubernetesCa().caCertHash()).isNotEqualTo(secrets.kubernetesCa().caCertHash());
        assertThat(other.bootstrapToken()).isNotEqualTo(secrets.bootstrapToken());
        assertThat(other.certificateKey()).isNotEqualTo(secrets.certificateKey());
    }

    static String openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return exec(cmd);
    }

    static String sh(String script) throws Exception {
        return exec("sh", "-c", script);
    }

    static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String s = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + s).isZero();
        return s;
    }
}
