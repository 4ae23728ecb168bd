package io.yoo.installer.core.config.secrets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * One cluster CA: its certificate and private key as PEM text (what kubeadm reads from
 * {@code /etc/kubernetes/pki}).
 */
public record CertificateAuthority(String name, X509Certificate certificate, String certPem, String keyPem) {

    /**
     * The kubeadm discovery hash of this CA: {@code sha256:} + hex SHA-256 of the certificate's
     * DER SubjectPublicKeyInfo. Joining nodes pin the API server's CA with it, so they need no
     * copy of the CA and no one has to wait for {@code kubeadm init} to print it.
     */
    public String caCertHash() {
        try {
            byte[] spki = certificate.getPublicKey().getEncoded();
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        // never print the key into logs
        return "CertificateAuthority[" + name + ", " + certificate.getSubjectX500Principal().getName() + ", " + caCertHash() + "]";
    }
}
