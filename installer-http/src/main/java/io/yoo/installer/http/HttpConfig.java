package io.yoo.installer.http;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP server listens and what it serves.
 *
 * @param bind           address to bind, e.g. {@code 0.0.0.0} or the install-network address
 * @param port           TCP port; 0 picks a free one (see {@link HttpServer#port()})
 * @param assetDir       served under {@code /assets/} (Flatcar images, Kubernetes bundle...)
 * @param tls            serve HTTPS with this keystore instead of plain HTTP. iPXE builds without
 *                       TLS (Debian's undionly.kpxe) cannot fetch over HTTPS: use TLS for the
 *                       admin API/UI on a separate instance, or with TLS-capable iPXE
 * @param adminTokenFile bearer token for the admin API; created (0600) on first start
 * @param assetsAtRoot   also serve the asset dir at {@code /} for paths no endpoint claims (a plain
 *                       file server, as {@code yoo http} and the benchmark use it)
 * @param admin          a second listener for the admin surface (API, UI, metrics); when present,
 *                       {@code bind:port} serves only what machines need (boot files, assets, progress
 *                       events, health)
 */
public record HttpConfig(String bind, int port, Path assetDir, Optional<TlsConfig> tls, Path adminTokenFile, boolean assetsAtRoot,
        Optional<AdminListener> admin) {

    public HttpConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(assetDir, "assetDir");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(adminTokenFile, "adminTokenFile");
        Objects.requireNonNull(admin, "admin");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad HTTP port " + port + ": expected 0-65535");
        }
    }

    /** Plain HTTP on {@code bind:port}, admin token kept in {@code stateDir/admin-token}. */
    public static HttpConfig plain(String bind, int port, Path assetDir, Path stateDir) {
        return new HttpConfig(bind, port, assetDir, Optional.empty(), stateDir.resolve("admin-token"), false, Optional.empty());
    }

    public HttpConfig withTls(TlsConfig tls) {
        return new HttpConfig(bind, port, assetDir, Optional.of(tls), adminTokenFile, assetsAtRoot, admin);
    }

    public HttpConfig withAssetsAtRoot(boolean atRoot) {
        return new HttpConfig(bind, port, assetDir, tls, adminTokenFile, atRoot, admin);
    }

    /** Serves the admin surface on its own listener, and only boot traffic on {@code bind:port}. */
    public HttpConfig withAdmin(AdminListener listener) {
        return new HttpConfig(bind, port, assetDir, tls, adminTokenFile, assetsAtRoot, Optional.of(listener));
    }
}
