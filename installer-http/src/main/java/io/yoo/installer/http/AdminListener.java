package io.yoo.installer.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the admin surface (REST API, web UI, /metrics) listens when it is kept apart from the
 * install network: a management address or loopback, HTTPS when {@code tls} is given.
 *
 * @param bind address to bind, e.g. {@code 127.0.0.1} or the management network's address
 * @param port TCP port; 0 picks a free one (see {@link HttpServer#adminPort()})
 */
public record AdminListener(String bind, int port, Optional<TlsConfig> tls) {
    public AdminListener {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad admin port " + port + ": expected 0-65535");
        }
    }
}
