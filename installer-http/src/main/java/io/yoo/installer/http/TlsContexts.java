package io.yoo.installer.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty's server TLS context from a {@link TlsConfig}: a keystore file, or a PEM pair loaded into memory. */
final class TlsContexts {
    /** PEM files are small; a bound keeps a wrong path (a disk image...) from being read whole. */
    private static final long MAX_PEM = 1 << 20;
    private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private TlsContexts() {}

    static SslContextFactory.Server of(TlsConfig tls) throws IOException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        if (tls.keystore().isPresent()) {
            ssl.setKeyStorePath(tls.keystore().get().toAbsolutePath().toString());
            ssl.setKeyStorePassword(tls.password());
            return ssl;
        }
        ssl.setKeyStore(pemKeyStore(tls.certPem().orElseThrow(), tls.keyPem().orElseThrow()));
        ssl.setKeyStorePassword("");
        return ssl;
    }

    static KeyStore pemKeyStore(Path cert, Path key) throws IOException {
        try {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(checkedSize(cert))) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            if (chain.length == 0) {
                throw new IOException(cert + ": no PEM certificate in it");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("yoo", privateKey(key, chain[0].getPublicKey().getAlgorithm()), new char[0], chain);
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load TLS certificate " + cert + " / key " + key + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path key, String algorithm) throws IOException, GeneralSecurityException {
        Matcher m = KEY.matcher(Files.readString(checkedSize(key), StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException(key + ": expected an unencrypted PKCS#8 key ('-----BEGIN PRIVATE KEY-----';"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static Path checkedSize(Path p) throws IOException {
        if (Files.size(p) > MAX_PEM) {
            throw new IOException(p + ": larger than " + MAX_PEM + " bytes, not a PEM file");
        }
        return p;
    }
}
