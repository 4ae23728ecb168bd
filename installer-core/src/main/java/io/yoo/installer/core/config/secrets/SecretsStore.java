package io.yoo.installer.core.config.secrets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a cluster's secrets in {@code <stateDir>/secrets/} (directory 0700, files 0600), in the
 * file names kubeadm uses, so an operator can inspect them with openssl. Generated on first use
 * and never again: regenerating would orphan every node already joined.
 */
public final class SecretsStore {
    private static final Logger log = LoggerFactory.getLogger(SecretsStore.class);
    static final List<String> FILES = List.of(
            "ca.crt", "ca.key", "etcd-ca.crt", "etcd-ca.key", "front-proxy-ca.crt", "front-proxy-ca.key",
            "sa.key", "sa.pub", "bootstrap-token", "certificate-key");

    private final Path dir;

    public SecretsStore(Path stateDir) {
        this.dir = stateDir.resolve("secrets");
    }

    public Path directory() {
        return dir;
    }

    /** Loads the secrets, generating and saving them first if the directory has none. */
    public synchronized ClusterSecrets loadOrCreate(SecretsGenerator generator) throws IOException {
        if (isComplete()) {
            return load();
        }
        // none yet, or a generation interrupted while saving (no certificate-key): nothing was
        // ever served from a partial set (secrets are handed out only after the save), so start over
        ClusterSecrets s = generator.generate();
        save(s);
        log.info("generated cluster secrets in {} (Kubernetes CA {})", dir, s.kubernetesCa().caCertHash());
        return s;
    }

    /** True once a full set was saved: {@code certificate-key} is written last. */
    public boolean isComplete() {
        return Files.isRegularFile(dir.resolve("certificate-key"));
    }

    public ClusterSecrets load() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IOException("cluster secrets in " + dir + " are incomplete: " + f
                        + " is missing (restore it from a backup; deleting the whole directory makes new secrets, and joined nodes will no longer trust this server's configs)");
            }
            files.put(f, read(f));
        }
        return fromFiles(files, dir.toString());
    }

    /** The secrets as this store's files: name to content, in {@link #FILES} order. */
    static Map<String, String> toFiles(ClusterSecrets s) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ca.crt", s.kubernetesCa().certPem());
        files.put("ca.key", s.kubernetesCa().keyPem());
        files.put("etcd-ca.crt", s.etcdCa().certPem());
        files.put("etcd-ca.key", s.etcdCa().keyPem());
        files.put("front-proxy-ca.crt", s.frontProxyCa().certPem());
        files.put("front-proxy-ca.key", s.frontProxyCa().keyPem());
        files.put("sa.key", s.serviceAccountKeyPem());
        files.put("sa.pub", s.serviceAccountPublicPem());
        files.put("bootstrap-token", s.bootstrapToken() + "\n");
        files.put("certificate-key", s.certificateKey() + "\n");
        return files;
    }

    /** The secrets from {@link #toFiles}'s map; {@code where} names their origin in errors. */
    static ClusterSecrets fromFiles(Map<String, String> files, String where) throws IOException {
        for (String f : FILES) {
            if (!files.containsKey(f)) {
                throw new IOException("cluster secrets in " + where + " are incomplete: " + f + " is missing");
            }
        }
        return new ClusterSecrets(
                ca("kubernetes", "ca", files, where), ca("etcd-ca", "etcd-ca", files, where),
                ca("front-proxy-ca", "front-proxy-ca", files, where),
                files.get("sa.key"), files.get("sa.pub"), files.get("bootstrap-token").trim(), files.get("certificate-key").trim());
    }

    private void save(ClusterSecrets s) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        // certificate-key comes last: its presence marks a complete set
        for (Map.Entry<String, String> f : toFiles(s).entrySet()) {
            write(f.getKey(), f.getValue());
        }
    }

    private void write(String name, String text) throws IOException {
        // write to a 0600 temp file and rename, so a crash never leaves a half-written key
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static CertificateAuthority ca(String name, String file, Map<String, String> files, String where) throws IOException {
        String certPem = files.get(file + ".crt");
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
            return new CertificateAuthority(name, cert, certPem, files.get(file + ".key"));
        } catch (CertificateException e) {
            throw new IOException("cannot read " + file + ".crt of the cluster secrets in " + where + ": " + e.getMessage(), e);
        }
    }
}
