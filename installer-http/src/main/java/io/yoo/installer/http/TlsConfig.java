package io.yoo.installer.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTPS with either a PKCS#12 or JKS keystore holding the server key and certificate, or a PEM pair
 * (certificate chain + PKCS#8 private key, as {@code openssl req -newkey ... -nodes} writes them).
 */
public record TlsConfig(Optional<Path> keystore, String password, Optional<Path> certPem, Optional<Path> keyPem) {
    public TlsConfig {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
        password = password == null ? "" : password;
        if (keystore.isPresent() == certPem.isPresent() || certPem.isPresent() != keyPem.isPresent()) {
            throw new IllegalArgumentException("TLS needs a keystore, or a PEM certificate and key (not both)");
        }
    }

    /** A keystore file (PKCS#12 or JKS). */
    public TlsConfig(Path keystore, String password) {
        this(Optional.of(keystore), password, Optional.empty(), Optional.empty());
    }

    /** A PEM certificate (chain) and its unencrypted PKCS#8 private key. */
    public static TlsConfig pem(Path cert, Path key) {
        return new TlsConfig(Optional.empty(), "", Optional.of(cert), Optional.of(key));
    }

    @Override
    public String toString() {
        return "TlsConfig[" + keystore.map(Path::toString).orElseGet(() -> certPem.get() + " + " + keyPem.get()) + "]";
    }
}
