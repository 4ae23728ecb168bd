package io.yoo.installer.core.descriptor;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Yoo keeps its things and which ports it serves. Relative paths are resolved against the
 * descriptor's directory.
 *
 * @param httpPort   port of the boot/API/UI HTTP server
 * @param stateDir   machines, leases, events, cluster secrets ({@code .yoo} by default)
 * @param assetDir   Flatcar images, Kubernetes bundle, iPXE binaries
 * @param databaseUrl JDBC URL of a shared store; empty = embedded H2 in the state dir
 * @param allowUnknown answer unknown machines with a boot file (otherwise they get none)
 * @param admin      the admin surface on its own listener ({@code adminBind}, {@code tls}); empty =
 *                   API, UI and metrics on the HTTP port with everything else
 * @param secretKeyFile the AES key that seals the secrets servers share through the database
 *                   (token secret, CAs and keys); empty = those secrets live in the state dir
 * @param discovery  unknown machines boot the live image with the discovery config, report their
 *                   inventory and wait to be enrolled (see {@code core.discovery.Discovery})
 */
public record ServerSettings(
        int httpPort,
        Path stateDir,
        Path assetDir,
        Optional<Path> templateDir,
        Optional<String> databaseUrl,
        boolean allowUnknown,
        Optional<AdminSurface> admin,
        Optional<Path> secretKeyFile,
        boolean discovery) {

    public ServerSettings(int httpPort, Path stateDir, Path assetDir, Optional<Path> templateDir, Optional<String> databaseUrl,
            boolean allowUnknown, Optional<AdminSurface> admin, Optional<Path> secretKeyFile) {
        this(httpPort, stateDir, assetDir, templateDir, databaseUrl, allowUnknown, admin, secretKeyFile, false);
    }

    public ServerSettings(int httpPort, Path stateDir, Path assetDir, Optional<Path> templateDir, Optional<String> databaseUrl,
            boolean allowUnknown, Optional<AdminSurface> admin, boolean discovery) {
        this(httpPort, stateDir, assetDir, templateDir, databaseUrl, allowUnknown, admin, Optional.empty(), discovery);
    }

    public ServerSettings(int httpPort, Path stateDir, Path assetDir, Optional<Path> templateDir, Optional<String> databaseUrl,
            boolean allowUnknown, Optional<AdminSurface> admin) {
        this(httpPort, stateDir, assetDir, templateDir, databaseUrl, allowUnknown, admin, Optional.empty(), false);
    }

    public ServerSettings(int httpPort, Path stateDir, Path assetDir, Optional<Path> templateDir, Optional<String> databaseUrl,
            boolean allowUnknown) {
        this(httpPort, stateDir, assetDir, templateDir, databaseUrl, allowUnknown, Optional.empty());
    }
}
