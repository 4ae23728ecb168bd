package io.yoo.installer.core.config.secrets;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a fresh set of cluster secrets: three self-signed CAs shaped like the ones
 * {@code kubeadm init phase certs} would make (RSA 2048, SHA-256, CA:TRUE, keyCertSign, ten years),
 * a service-account key pair, a bootstrap token and a certificate key.
 */
public final class SecretsGenerator {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final String TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random;

    public SecretsGenerator(SecureRandom random) {
        this.random = random;
    }

    public SecretsGenerator() {
        this(new SecureRandom());
    }

    public ClusterSecrets generate() {
        KeyPair sa = rsa();
        byte[] certKey = new byte[32];
        random.nextBytes(certKey);
        return new ClusterSecrets(
                ca("kubernetes", "kubernetes"),
                ca("etcd-ca", "etcd-ca"),
                ca("front-proxy-ca", "front-proxy-ca"),
                pem(sa.getPrivate()),
                pem(sa.getPublic()),
                token(6) + "." + token(16),
                HexFormat.of().formatHex(certKey));
    }

    private CertificateAuthority ca(String name, String commonName) {
        KeyPair kp = rsa();
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            // back-date a little: a freshly booted node whose clock lags must still accept it
            Date notBefore = Date.from(now.minus(Duration.ofMinutes(5)));
            Date notAfter = Date.from(now.plus(CA_VALIDITY));
            BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            return new CertificateAuthority(name, cert, pem(cert), pem(kp.getPrivate()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create CA " + name, e);
        }
    }

    private KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String token(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
        }
        return s.toString();
    }

    static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
