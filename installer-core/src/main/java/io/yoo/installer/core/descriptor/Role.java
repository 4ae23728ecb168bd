package io.yoo.installer.core.descriptor;

/** What a machine is in its Kubernetes cluster. */
public enum Role {
    CONTROL_PLANE("control-plane"),
    WORKER("worker");

    private final String key;

    Role(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Role fromKey(String key) {
        for (Role r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + key + "': expected control-plane or worker");
    }
}
