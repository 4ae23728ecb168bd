package io.yoo.installer.core.kubernetes;

import io.yoo.installer.core.assets.oci.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images one cluster needs, and the names the renderers must use so that what the install
 * imports into containerd is exactly what kubelet and kubeadm look for.
 *
 * @param kubernetesVersion e.g. {@code 1.32.3} (no {@code v})
 * @param imageRepository   kubeadm's {@code ClusterConfiguration.imageRepository}
 * @param sandboxImage      containerd's CRI {@code sandbox_image} (kubeadm's pause image)
 * @param kubeadm           what {@code kubeadm config images list --kubernetes-version V} prints, in its order
 * @param cni               the chosen CNI's images (empty for {@code none})
 * @param kubeVip           kube-vip's image, when the cluster has a VIP
 */
public record ClusterImages(String kubernetesVersion, String imageRepository, ImageReference sandboxImage,
        List<ImageReference> kubeadm, List<ImageReference> cni, Optional<ImageReference> kubeVip) {

    public ClusterImages {
        kubeadm = List.copyOf(kubeadm);
        cni = List.copyOf(cni);
    }

    /** Every image to mirror and import, kubeadm's first. */
    public List<ImageReference> all() {
        List<ImageReference> out = new ArrayList<>(kubeadm);
        out.addAll(cni);
        kubeVip.ifPresent(out::add);
        return out;
    }
}
