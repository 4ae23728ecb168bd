package io.yoo.installer.core.assets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for mirrors behind a corporate CA ({@code --ca-file}): the JDK's default trust store
 * plus the PEM certificates given. Never "trust everything": signatures and checksums protect
 * content, TLS still protects which server we talk to.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {}

    /** An SSL context trusting the default CAs and those in {@code pemFile}. */
    public static SSLContext withExtraCas(Path pemFile) throws IOException {
        try {
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pemFile)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (CertificateException e) {
                throw new IOException(pemFile + ": not a PEM certificate file: " + e.getMessage(), e);
            }
            if (certs.isEmpty()) {
                throw new IOException(pemFile + ": no certificate in it");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("extra-" + i++, c);
            }
            X509TrustManager extra = x509(ks);
            X509TrustManager defaults = x509(null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Either(defaults, extra)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust from " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager x509(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /** Trusts a server chain if either manager does. */
    private record Either(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }
}
