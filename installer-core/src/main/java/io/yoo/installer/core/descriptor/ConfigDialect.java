package io.yoo.installer.core.descriptor;

/** The config format a machine receives. */
public enum ConfigDialect {
    /** Ignition spec 3.4 JSON, Flatcar's native format. */
    IGNITION("ignition"),
    /** {@code #cloud-config} as Flatcar's coreos-cloudinit reads it. */
    CLOUD_CONFIG("cloud-config");

    private final String key;

    ConfigDialect(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ConfigDialect fromKey(String key) {
        for (ConfigDialect d : values()) {
            if (d.key.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown config dialect '" + key + "': expected ignition or cloud-config");
    }
}
