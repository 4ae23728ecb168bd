package io.yoo.installer.core.config.secrets;

import java.util.regex.Pattern;

/**
 * Everything secret a cluster needs before its first node boots, generated once and kept in the
 * state directory (see {@link SecretsStore}): with the CAs known in advance every join config
 * carries the real {@code caCertHashes}, so workers join without waiting for anyone.
 *
 * <p>Only control-plane nodes receive the CA keys and the service-account key pair; joining
 * machines receive their own expiring join token and the CA hash; the init node receives the
 * bootstrap token (24 h); the certificate key never leaves the server.
 *
 * @param kubernetesCa     {@code /etc/kubernetes/pki/ca.{crt,key}}
 * @param etcdCa           {@code /etc/kubernetes/pki/etcd/ca.{crt,key}}
 * @param frontProxyCa     {@code /etc/kubernetes/pki/front-proxy-ca.{crt,key}}
 * @param serviceAccountKeyPem    {@code sa.key} (PEM private key)
 * @param serviceAccountPublicPem {@code sa.pub} (PEM SubjectPublicKeyInfo)
 * @param bootstrapToken   {@code [a-z0-9]{6}.[a-z0-9]{16}}
 * @param certificateKey   64 hex digits, server-only: the key the per-machine join tokens are derived
 *                         from ({@code JoinTokens}); kubeadm never gets it (no certificates are uploaded)
 */
public record ClusterSecrets(
        CertificateAuthority kubernetesCa,
        CertificateAuthority etcdCa,
        CertificateAuthority frontProxyCa,
        String serviceAccountKeyPem,
        String serviceAccountPublicPem,
        String bootstrapToken,
        String certificateKey) {

    public static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    public static final Pattern CERTIFICATE_KEY = Pattern.compile("[a-f0-9]{64}");

    public ClusterSecrets {
        if (!BOOTSTRAP_TOKEN.matcher(bootstrapToken).matches()) {
            throw new IllegalArgumentException("bootstrap token does not match [a-z0-9]{6}.[a-z0-9]{16}");
        }
        if (!CERTIFICATE_KEY.matcher(certificateKey).matches()) {
            throw new IllegalArgumentException("certificate key is not 64 lower-case hex digits");
        }
    }

    /** The token id (the part before the dot): the name of its {@code bootstrap-token-<id>} secret. */
    public String bootstrapTokenId() {
        return bootstrapToken.substring(0, 6);
    }

    @Override
    public String toString() {
        // never print key material into logs
        return "ClusterSecrets[kubernetesCa=" + kubernetesCa.caCertHash() + ", token id=" + bootstrapTokenId() + "]";
    }
}
