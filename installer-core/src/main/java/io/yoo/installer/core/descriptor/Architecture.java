package io.yoo.installer.core.descriptor;

import java.util.Locale;

/** The four CoreOS cluster architectures the seed describes, as Kubernetes topologies. */
public enum Architecture {
    /** One machine: a single untainted control-plane node that also runs workloads. */
    DEV("dev"),
    /** 3-9 (odd) control-plane nodes with stacked etcd; optional workers. */
    SMALL("small"),
    /** Exactly one control-plane node, any number of workers. */
    DEVTEST("devtest"),
    /** 3 or 5 control-plane ("central") nodes, labelled workers. */
    PRODUCTION("production");

    private final String key;

    Architecture(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Architecture fromKey(String key) {
        for (Architecture a : values()) {
            if (a.key.equals(key.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + key + "': expected dev, small, devtest or production");
    }
}
