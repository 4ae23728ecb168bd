package io.yoo.installer.core.descriptor;

/**
 * Values a descriptor may leave out, so a three-machine cluster fits in about 25 lines. The
 * README's descriptor reference lists the same values; keep the two in step.
 */
public final class Defaults {
    private Defaults() {}

    public static final String DOMAIN = "internal";
    public static final String DHCP_MODE = "full";
    public static final int LEASE_SECONDS = 3600;

    public static final int HTTP_PORT = 8080;
    public static final String STATE_DIR = ".yoo";
    public static final String ASSET_DIR = "assets";

    public static final String CHANNEL = "stable";
    /** Flatcar's name for the newest release of a channel; the asset fetcher resolves it. */
    public static final String OS_VERSION = "current";
    public static final String DIALECT = "ignition";
    public static final String INSTALL_DISK = "/dev/sda";

    public static final String KUBERNETES_VERSION = "1.32.3";
    public static final String POD_CIDR = "10.244.0.0/16";
    public static final String SERVICE_CIDR = "10.96.0.0/12";
    public static final String CNI = "flannel";

    public static final String BMC_PROTOCOL = "ipmi";
}
