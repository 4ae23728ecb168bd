package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code server.adminBind} / {@code server.tls}: the admin API, web UI and metrics on their own
 * listener (a management address or loopback), HTTPS when TLS is given; the install network's
 * listener then serves only what machines fetch and post.
 *
 * @param bind address of the admin listener
 * @param port its port ({@code adminBind: ADDRESS:PORT}); the HTTP port when not given
 */
public record AdminSurface(Ipv4 bind, int port, Optional<Tls> tls) {

    /**
     * A keystore (PKCS#12/JKS, its password read from the environment variable {@code passwordEnv})
     * or a PEM pair (certificate chain, unencrypted PKCS#8 key). Paths are resolved against the
     * descriptor's directory.
     */
    public record Tls(Optional<Path> keystore, Optional<String> passwordEnv, Optional<Path> cert, Optional<Path> key) {}
}
