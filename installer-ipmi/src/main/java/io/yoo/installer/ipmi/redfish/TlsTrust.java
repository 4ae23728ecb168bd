package io.yoo.installer.ipmi.redfish;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which BMC certificates to accept. BMCs ship self-signed certificates whose names rarely match
 * their address, so the JVM's default trust fails; the answer is never to trust silently:
 * either pin the certificate's SHA-256 fingerprint (what {@code openssl x509 -fingerprint
 * -sha256} prints) or say {@link #insecure()} explicitly.
 */
public sealed interface TlsTrust {

    /** The JVM's CA trust store and host name check (BMCs with a CA-issued certificate). */
    static TlsTrust system() {
        return new System();
    }

    /** Accept exactly the leaf certificate with this SHA-256 fingerprint (hex, colons optional), any host name. */
    static TlsTrust pinned(String sha256) {
        return new Pinned(sha256);
    }

    /** Accept any certificate: for labs, only when the operator asked with --insecure. */
    static TlsTrust insecure() {
        return new Insecure();
    }

    SSLContext sslContext();

    record System() implements TlsTrust {
        @Override
        public SSLContext sslContext() {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Pinned(String fingerprint) implements TlsTrust {
        public Pinned {
            String hex = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("bad SHA-256 fingerprint '" + fingerprint
                        + "': expected 64 hex digits (colons allowed), as printed by openssl x509 -noout -fingerprint -sha256");
            }
            fingerprint = hex;
        }

        @Override
        public SSLContext sslContext() {
            return context(new Checking(this::check));
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("BMC sent no certificate");
            }
            String actual = sha256(chain[0]);
            if (!actual.equals(fingerprint)) {
                throw new CertificateException("BMC certificate SHA-256 " + actual + " does not match the pinned " + fingerprint);
            }
        }
    }

    record Insecure() implements TlsTrust {
        @Override
        public SSLContext sslContext() {
            return context(new Checking(chain -> { }));
        }
    }

    static String sha256(X509Certificate cert) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    private static SSLContext context(TrustManager tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An extended trust manager: the JDK then does no host name check of its own (the pin replaces it). */
    final class Checking extends X509ExtendedTrustManager {
        interface Check {
            void check(X509Certificate[] chain) throws CertificateException;
        }

        private final Check check;

        Checking(Check check) {
            this.check = check;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check.check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check.check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check.check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
