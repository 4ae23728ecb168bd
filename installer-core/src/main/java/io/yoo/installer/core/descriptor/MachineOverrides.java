package io.yoo.installer.core.descriptor;

import java.util.List;
import java.util.Optional;

/** Per-machine exceptions to the cluster-wide settings. */
public record MachineOverrides(
        Optional<String> installDisk,
        Optional<Boolean> autologin,
        Optional<ConfigDialect> dialect,
        List<String> kernelArgs) {

    public static final MachineOverrides NONE =
            new MachineOverrides(Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public MachineOverrides {
        kernelArgs = List.copyOf(kernelArgs);
    }
}
