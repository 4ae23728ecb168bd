package io.yoo.installer.core.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.core.assets.oci.ImageReference;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesImagesTest {

    /** What `kubeadm config images list --kubernetes-version v1.32.3` prints (kubeadm 1.32's pins). */
    @Test
    void kubeadmListFor132() {
        ClusterImages i = KubernetesImages.forVersion("v1.32.3", "flannel", true);
        assertThat(i.kubeadm()).extracting(ImageReference::name).containsExactly(
                "registry.k8s.io/kube-apiserver:v1.32.3",
                "registry.k8s.io/kube-controller-manager:v1.32.3",
                "registry.k8s.io/kube-scheduler:v1.32.3",
                "registry.k8s.io/kube-proxy:v1.32.3",
                "registry.k8s.io/coredns/coredns:v1.11.3",
                "registry.k8s.io/pause:3.10",
                "registry.k8s.io/etcd:3.5.16-0");
        assertThat(i.sandboxImage().name()).isEqualTo("registry.k8s.io/pause:3.10");
        assertThat(i.imageRepository()).isEqualTo("registry.k8s.io");
        assertThat(i.all()).hasSize(10).contains(KubernetesImages.FLANNEL, KubernetesImages.FLANNEL_CNI_PLUGIN, KubernetesImages.KUBE_VIP);
    }

    @Test
    void cniChoicesAndOverrides() {
        // refused with yoo validate's own words: nothing is mirrored for a CNI no descriptor may use
        for (String cni : new String[] {"calico", "cilium"}) {
            assertThatThrownBy(() -> KubernetesImages.forVersion("1.31.4", cni, false))
                    .hasMessage("cni '" + cni + "' is not supported yet: use flannel (installed for you),"
                            + " or none and apply your own CNI once the first control-plane node is up");
        }
        assertThat(KubernetesImages.forVersion("1.31.4", "none", false).all()).hasSize(7);
        assertThat(KubernetesImages.forVersion("1.32.9", "none", false, Optional.of("3.5.24-0")).kubeadm().get(6).name())
                .isEqualTo("registry.k8s.io/etcd:3.5.24-0");
        assertThatThrownBy(() -> KubernetesImages.forVersion("1.32.3", "weave", false)).hasMessageContaining("use flannel or none");
        assertThatThrownBy(() -> KubernetesImages.forVersion("1.99.0", "none", false)).hasMessageContaining("no pinned images");
        assertThatThrownBy(() -> KubernetesImages.forVersion("1.32.3", "none", false, Optional.of("../x"))).hasMessageContaining("tag");
        assertThat(KubernetesImages.sandboxImage("1.99.0")).isEmpty();
    }

    @Test
    void imageNamesAreChecked() {
        assertThat(ImageReference.parse("docker.io/flannel/flannel:v0.26.1").archiveName()).isEqualTo("docker.io_flannel_flannel_v0.26.1.tar");
        assertThatThrownBy(() -> ImageReference.parse("registry.k8s.io/../etc:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageReference.parse("pause:3.10")).isInstanceOf(IllegalArgumentException.class);
    }
}
