package io.yoo.installer.core.descriptor;

import java.util.List;
import java.util.Optional;

/** Per-machine exceptions to the cluster-wide settings. */
public record MachineOverrides(
        Optional<String> installDisk,
        Optional<Boolean> autologin,
        Optional<ConfigDialect> dialect,
        List<String> kernelArgs,
        Optional<Boolean> secureBoot) {

    public static final MachineOverrides NONE =
            new MachineOverrides(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());

    public MachineOverrides {
        kernelArgs = List.copyOf(kernelArgs);
    }

    /** Without a Secure Boot override (the cluster's {@code os.secureBoot} applies). */
    public MachineOverrides(Optional<String> installDisk, Optional<Boolean> autologin, Optional<ConfigDialect> dialect,
            List<String> kernelArgs) {
        this(installDisk, autologin, dialect, kernelArgs, Optional.empty());
    }
}
