package io.yoo.installer.core.kubernetes;

import io.yoo.installer.core.assets.oci.ImageReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where image versions are pinned. For a Kubernetes version V it gives the list
 * {@code kubeadm config images list --kubernetes-version vV} prints (kubeadm's
 * {@code images.GetControlPlaneImages}: apiserver, controller-manager, scheduler, proxy at V,
 * then coredns, pause, etcd at the versions that kubeadm release pins), plus the CNI's images
 * and kube-vip's.
 *
 * <p>The pins per minor are read from kubeadm's {@code cmd/kubeadm/app/constants/constants.go}
 * at each minor's {@code .0} release ({@code SupportedEtcdVersion[minor]}, {@code CoreDNSVersion},
 * {@code PauseVersion}). kubeadm patch releases have bumped etcd since (for example 1.32's map later
 * says 3.5.24-0); a site on such a patch release passes {@code --etcd-version} (see
 * {@link #forVersion(String, String, boolean, Optional)}), and {@code kubeadm config images list}
 * on a connected machine shows the exact list.
 */
public final class KubernetesImages {
    /** kubeadm's default {@code imageRepository}; also what Yoo renders into every ClusterConfiguration. */
    public static final String IMAGE_REPOSITORY = "registry.k8s.io";

    /** kube-vip, the static-pod VIP for HA control planes. */
    public static final ImageReference KUBE_VIP = ImageReference.parse("ghcr.io/kube-vip/kube-vip:v0.8.9");

    public static final ImageReference FLANNEL = ImageReference.parse("docker.io/flannel/flannel:v0.26.1");
    public static final ImageReference FLANNEL_CNI_PLUGIN = ImageReference.parse("docker.io/flannel/flannel-cni-plugin:v1.5.1-flannel2");

    /** Pins of one kubeadm minor release. */
    record Pins(String etcd, String coreDns, String pause) {}

    private static final Map<Integer, Pins> PINS = Map.of(
            29, new Pins("3.5.10-0", "v1.11.1", "3.9"),
            30, new Pins("3.5.12-0", "v1.11.1", "3.9"),
            31, new Pins("3.5.15-0", "v1.11.3", "3.10"),
            32, new Pins("3.5.16-0", "v1.11.3", "3.10"),
            33, new Pins("3.5.21-0", "v1.12.0", "3.10"));

    private KubernetesImages() {}

    /** Minor versions (of 1.x) with pinned images. */
    public static List<Integer> supportedMinors() {
        return PINS.keySet().stream().sorted().toList();
    }

    /**
     * The pause image kubeadm {@code kubernetesVersion} expects as containerd's {@code sandbox_image};
     * empty for a minor with no pins (then nothing is mirrored for it either, and containerd keeps its default).
     */
    public static Optional<ImageReference> sandboxImage(String kubernetesVersion) {
        try {
            return Optional.of(forVersion(kubernetesVersion, "none", false).sandboxImage());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static ClusterImages forVersion(String kubernetesVersion, String cni, boolean kubeVip) {
        return forVersion(kubernetesVersion, cni, kubeVip, Optional.empty());
    }

    /**
     * @param kubernetesVersion {@code 1.32.3} or {@code v1.32.3}
     * @param cni               {@code flannel} or {@code none}; calico and cilium are refused as
     *                          {@code yoo validate} refuses them (see {@link Cnis})
     * @param kubeVip           include kube-vip's image
     * @param etcdOverride      etcd tag for kubeadm patch releases that moved it (e.g. {@code 3.5.24-0})
     */
    public static ClusterImages forVersion(String kubernetesVersion, String cni, boolean kubeVip, Optional<String> etcdOverride) {
        String v = kubernetesVersion.startsWith("v") ? kubernetesVersion.substring(1) : kubernetesVersion;
        String[] parts = v.split("\\.");
        if (parts.length != 3 || !parts[0].equals("1") || !parts[1].matches("[0-9]{1,3}") || !parts[2].matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("Kubernetes version '" + kubernetesVersion + "' is not 1.MINOR.PATCH");
        }
        Pins pins = PINS.get(Integer.parseInt(parts[1]));
        if (pins == null) {
            throw new IllegalArgumentException("Kubernetes " + v + ": no pinned images for 1." + parts[1]
                    + " (supported: " + supportedMinors().stream().map(m -> "1." + m).toList() + ")");
        }
        String r = IMAGE_REPOSITORY;
        String tag = "v" + v;
        ImageReference pause = ImageReference.parse(r + "/pause:" + pins.pause());
        List<ImageReference> kubeadm = List.of(
                ImageReference.parse(r + "/kube-apiserver:" + tag),
                ImageReference.parse(r + "/kube-controller-manager:" + tag),
                ImageReference.parse(r + "/kube-scheduler:" + tag),
                ImageReference.parse(r + "/kube-proxy:" + tag),
                ImageReference.parse(r + "/coredns/coredns:" + pins.coreDns()),
                pause,
                ImageReference.parse(r + "/etcd:" + etcdOverride.orElse(pins.etcd())));
        Cnis.refusal(cni).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        List<ImageReference> cniImages = switch (cni) {
            case "flannel" -> List.of(FLANNEL_CNI_PLUGIN, FLANNEL);
            case "none" -> List.of();
            default -> throw new IllegalArgumentException("cni '" + cni + "' is unknown: use flannel or none");
        };
        return new ClusterImages(v, r, pause, kubeadm, cniImages, kubeVip ? Optional.of(KUBE_VIP) : Optional.empty());
    }
}
