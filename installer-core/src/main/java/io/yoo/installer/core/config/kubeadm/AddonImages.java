package io.yoo.installer.core.config.kubeadm;

/**
 * The container images of what Yoo adds to kubeadm's own control plane: the VIP holder and the
 * pod network. One place, so the offline image list (what {@code yoo assets sync} mirrors) can
 * point here or replace these.
 */
public final class AddonImages {
    /** kube-vip, as a static pod on every control-plane node when the endpoint is a VIP. */
    public static final String KUBE_VIP = "ghcr.io/kube-vip/kube-vip:v0.8.9";
    public static final String FLANNEL = "docker.io/flannel/flannel:v0.26.1";
    public static final String FLANNEL_CNI_PLUGIN = "docker.io/flannel/flannel-cni-plugin:v1.5.1-flannel2";

    private AddonImages() {}
}
