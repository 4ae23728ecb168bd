package io.yoo.installer.core.render;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Everything Yoo renders for a machine. The key is what {@code yoo render --kind} takes. */
public enum ArtifactKind {
    /** Per-machine iPXE script: kernel + initrd + command line with config and callback URLs. */
    IPXE("ipxe", "text/plain"),
    /** PXELINUX per-MAC config ({@code pxelinux.cfg/01-aa-bb-...}). */
    PXELINUX("pxelinux", "text/plain"),
    /** GRUB config for UEFI machines. */
    GRUB("grub", "text/plain"),
    /** Live (PXE-stage) config: SSH keys, autologin, unit that fetches and runs the install script. */
    LIVE_CONFIG("live-config", "application/json"),
    /** Installed-system config (Ignition or cloud-config). */
    INSTALLED_CONFIG("config", "application/json"),
    /** The install script (POSIX sh). */
    INSTALL_SCRIPT("install-script", "text/x-shellscript"),
    /** kubeadm InitConfiguration/ClusterConfiguration or JoinConfiguration. */
    KUBEADM("kubeadm", "application/yaml"),
    /** The machine's current kubeadm join token (one line; joining machines only). */
    JOIN_TOKEN("join-token", "text/plain"),
    /** Control-plane machines: the join tokens to create, {@code TOKEN TTL_SECONDS} per line. */
    JOIN_TOKENS("join-tokens", "text/plain");

    /**
     * What {@code yoo render} writes when no kind is asked for: everything but the join tokens,
     * which are answers of the moment (they change every 12 hours), not files to keep.
     */
    public static final List<ArtifactKind> FILES = Arrays.stream(values())
            .filter(k -> k != JOIN_TOKEN && k != JOIN_TOKENS).toList();

    private final String key;
    private final String contentType;

    ArtifactKind(String key, String contentType) {
        this.key = key;
        this.contentType = contentType;
    }

    public String key() {
        return key;
    }

    /** Default content type; renderers may refine it (cloud-config is YAML). */
    public String contentType() {
        return contentType;
    }

    public static ArtifactKind fromKey(String key) {
        for (ArtifactKind k : values()) {
            if (k.key.equals(key.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + key
                + "': expected one of ipxe, pxelinux, grub, live-config, config, install-script, kubeadm, join-token, join-tokens");
    }
}
