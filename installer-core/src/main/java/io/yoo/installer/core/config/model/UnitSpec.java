package io.yoo.installer.core.config.model;

import java.util.List;
import java.util.Optional;

/**
 * A systemd unit, in neither dialect yet. A unit with no content only adds drop-ins to a unit
 * the OS already ships (containerd, update-engine).
 *
 * @param enabled start at every boot ({@code [Install]} section honoured)
 * @param startNow cloud-config only: start it when coreos-cloudinit applies the config (the live
 *                 system has no second boot, so its units must be started, not just enabled)
 */
public record UnitSpec(String name, Optional<String> content, boolean enabled, boolean startNow, List<Dropin> dropins) {

    public UnitSpec {
        dropins = List.copyOf(dropins);
        if (!name.matches("[A-Za-z0-9@._-]+\\.(service|target|timer|path|socket|mount)")) {
            throw new IllegalArgumentException("bad unit name '" + name + "'");
        }
    }

    public static UnitSpec of(String name, String content, boolean enabled) {
        return new UnitSpec(name, Optional.of(content), enabled, false, List.of());
    }

    public static UnitSpec dropinsOnly(String name, List<Dropin> dropins) {
        return new UnitSpec(name, Optional.empty(), false, false, dropins);
    }

    /** A drop-in file {@code <unit>.d/<name>}; name ends with {@code .conf}. */
    public record Dropin(String name, String content) {
        public Dropin {
            if (!name.matches("[A-Za-z0-9._-]+\\.conf")) {
                throw new IllegalArgumentException("bad drop-in name '" + name + "'");
            }
        }
    }
}
