package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code kubernetes.cni} value through {@code yoo validate} (plain and --deep) and
 * {@code yoo render}: flannel and none work end to end, calico and cilium are refused by
 * validate with the field's position; nothing crashes (exit 4 was calico's fate before).
 */
class KubernetesSettingsCliTest {
    @TempDir
    Path tmp;

    Path smallWith(String kubernetesLine) throws IOException {
        Path f = tmp.resolve("cluster.yml");
        Files.writeString(f, DescriptorLoader.exampleText("small").replace("kubernetes:\n", "kubernetes:\n  " + kubernetesLine + "\n"));
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"flannel", "none"})
    void supported_cnis_validate_and_render(String cni) throws IOException {
        Path f = smallWith("cni: " + cni);
        assertThat(CliTest.yoo("validate", f.toString()).code()).isEqualTo(Yoo.EXIT_OK);
        CliTest.Run deep = CliTest.yoo("validate", "--deep", f.toString());
        assertThat(deep.code()).as(deep.out() + deep.err()).isEqualTo(Yoo.EXIT_OK);
        Path out = tmp.resolve("render");
        CliTest.Run r = CliTest.yoo("render", f.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Yoo.EXIT_OK);
        String initConfig = Files.readString(out.resolve("configs/node-1/node-1-installed.ign"));
        if (cni.equals("flannel")) {
            assertThat(initConfig).contains("yoo-cni.service");
        } else {
            assertThat(initConfig).doesNotContain("yoo-cni.service"); // the operator applies their own
        }
        // kube-vip on every control-plane node, the VIP as the endpoint of every join
        for (String m : new String[] {"node-1", "node-2", "node-3"}) {
            assertThat(Files.readString(out.resolve("configs/" + m + "/" + m + "-installed.ign"))).contains("/etc/kubernetes/yoo/kube-vip.yaml");
        }
        assertThat(Files.readString(out.resolve("configs/node-2/node-2-kubeadm.yaml"))).contains("apiServerEndpoint: \"10.12.1.100:6443\"")
                .doesNotContain("certificateKey:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"calico", "cilium"})
    void unsupported_cnis_are_refused_by_validate_and_render_with_the_field_position(String cni) throws IOException {
        Path f = smallWith("cni: " + cni);
        CliTest.Run v = CliTest.yoo("validate", f.toString());
        assertThat(v.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(v.out() + v.err()).contains(f + ":18:8: kubernetes.cni: cni '" + cni + "' is not supported yet");
        CliTest.Run r = CliTest.yoo("render", f.toString(), "--out", tmp.resolve("render").toString());
        assertThat(r.code()).isEqualTo(Yoo.EXIT_INVALID);
    }

    @Test
    void a_vip_that_is_a_machines_address_is_refused() throws IOException {
        Path f = tmp.resolve("cluster.yml");
        Files.writeString(f, DescriptorLoader.exampleText("small").replace("controlPlaneEndpoint: 10.12.1.100", "controlPlaneEndpoint: 10.12.1.3"));
        CliTest.Run v = CliTest.yoo("validate", f.toString());
        assertThat(v.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(v.out() + v.err()).contains("kubernetes.controlPlaneEndpoint: VIP 10.12.1.3 is the address of machines[2] (node-3)");
    }
}
