package io.yoo.installer.http;

import java.nio.file.Path;
import java.util.Objects;

/** HTTPS with a PKCS#12 or JKS keystore holding the server key and certificate. */
public record TlsConfig(Path keystore, String password) {
    public TlsConfig {
        Objects.requireNonNull(keystore, "keystore");
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + keystore + "]";
    }
}
