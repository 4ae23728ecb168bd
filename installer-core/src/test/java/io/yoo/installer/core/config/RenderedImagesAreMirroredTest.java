package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.kubernetes.ClusterImages;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.template.Templates;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an installed machine asks containerd for is what {@code yoo assets sync --kubernetes V
 * --cni C} mirrors: every artifact of every machine of every example is rendered (Ignition data
 * URLs decoded), every image name in it is collected (static-pod and manifest {@code image:}
 * fields, containerd's {@code sandbox_image}, any name under a public registry), and each must be
 * in {@link KubernetesImages#forVersion}'s set for the cluster's version, CNI and VIP, the set the
 * sync command pulls. kubeadm's own images are named through {@code imageRepository} and
 * {@code kubernetesVersion}, which must be the ones that set was built from.
 */
class RenderedImagesAreMirroredTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T17:00:00Z"), ZoneOffset.UTC);
    /** An image name under a registry host, wherever it appears (quoted or not). */
    static final Pattern REGISTRY_NAME = Pattern.compile(
            "(?<![\\w./-])((?:registry\\.k8s\\.io|k8s\\.gcr\\.io|docker\\.io|ghcr\\.io|quay\\.io|gcr\\.io|mcr\\.microsoft\\.com)/[a-z0-9._/-]+:[A-Za-z0-9_][A-Za-z0-9_.-]*)");
    /** YAML {@code image:} and TOML {@code sandbox_image =} values: catches names under other registries or none. */
    static final Pattern IMAGE_FIELD = Pattern.compile("(?m)(?:^\\s*-?\\s*image:|sandbox_image\\s*=)\\s*\"?([^\"\\s]+)\"?\\s*$");
    static final Pattern IMAGE_REPOSITORY = Pattern.compile("(?m)^imageRepository:\\s*\"?([^\"\\s]+)\"?\\s*$");
    static final Pattern KUBERNETES_VERSION = Pattern.compile("(?m)^kubernetesVersion:\\s*\"?v?([^\"\\s]+)\"?\\s*$");
    static ClusterSecrets secrets;

    @BeforeAll
    static void secrets() {
        secrets = new SecretsGenerator().generate();
    }

    static Stream<String> kubernetesExamples() {
        return DescriptorLoader.EXAMPLES.stream();
    }

    /** Every artifact of every machine, with each Ignition data URL decoded next to it. */
    static List<String> renderedTexts(ClusterDescriptor c) throws Exception {
        ClusterConfigArtifacts a = new ClusterConfigArtifacts(c, new BootUrls("http://10.12.0.1:8080"),
                new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), () -> secrets,
                Templates.builtIn(), StepLimits.DEFAULT, CLOCK);
        List<String> out = new ArrayList<>();
        for (Machine m : c.machines()) {
            for (ArtifactKind kind : ArtifactKind.values()) {
                var r = a.render(m.name(), kind);
                if (r.isEmpty()) {
                    continue;
                }
                String text = r.get().text();
                out.add(text);
                if (text.startsWith("{")) {
                    decodeDataUrls(JSON.readTree(text), out);
                }
            }
        }
        return out;
    }

    static void decodeDataUrls(JsonNode n, List<String> out) {
        if (n.isTextual() && n.asText().startsWith("data:")) {
            String url = n.asText();
            String meta = url.substring(5, url.indexOf(','));
            String data = url.substring(url.indexOf(',') + 1);
            out.add(meta.endsWith(";base64") ? new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8)
                    : URLDecoder.decode(data, StandardCharsets.UTF_8));
        }
        n.forEach(child -> decodeDataUrls(child, out));
    }

    static Set<String> matches(Pattern p, List<String> texts) {
        Set<String> out = new TreeSet<>();
        for (String t : texts) {
            Matcher m = p.matcher(t);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** What `yoo assets sync --kubernetes V --cni C` (with kube-vip unless the cluster has no VIP) pulls for this cluster. */
    static ClusterImages synced(ClusterDescriptor c) {
        return KubernetesImages.forVersion(c.kubernetes().version(), c.kubernetes().cni(), c.kubernetes().vip().isPresent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubernetesExamples")
    void every_image_a_rendered_artifact_names_is_in_the_synced_set(String example) throws Exception {
        ClusterDescriptor c = DescriptorLoader.loadExample(example);
        ClusterImages images = synced(c);
        Set<String> mirrored = images.all().stream().map(i -> i.name()).collect(Collectors.toSet());
        List<String> texts = renderedTexts(c);

        Set<String> referenced = new TreeSet<>(matches(REGISTRY_NAME, texts));
        referenced.addAll(matches(IMAGE_FIELD, texts));
        assertThat(referenced).as("image names in %s's rendered artifacts", example).isNotEmpty().isSubsetOf(mirrored);
        // the extraction sees what the cluster uses: the pause image always, the CNI's and kube-vip's when chosen
        assertThat(referenced).contains(images.sandboxImage().name());
        images.cni().forEach(i -> assertThat(referenced).contains(i.name()));
        images.kubeVip().ifPresent(i -> assertThat(referenced).contains(i.name()));
        // kubeadm derives its own image names from these two: they are the ones the set was built from
        assertThat(matches(IMAGE_REPOSITORY, texts)).containsExactly(images.imageRepository());
        assertThat(matches(KUBERNETES_VERSION, texts)).containsExactly(images.kubernetesVersion());
    }

    /** The check is not vacuous: an image the sync would not pull is caught wherever it is written. */
    @Test
    void an_image_the_sync_does_not_pull_is_caught() throws Exception {
        ClusterDescriptor c = DescriptorLoader.loadExample("production");
        Set<String> mirrored = synced(c).all().stream().map(i -> i.name()).collect(Collectors.toSet());
        List<String> texts = new ArrayList<>(renderedTexts(c));
        texts.add("spec:\n  containers:\n  - name: x\n    image: docker.io/flannel/flannel:v0.27.0\n");
        texts.add("[plugins]\n  sandbox_image = \"example.org/pause:3.10\"\n");
        Set<String> referenced = new TreeSet<>(matches(REGISTRY_NAME, texts));
        referenced.addAll(matches(IMAGE_FIELD, texts));
        assertThat(referenced).contains("docker.io/flannel/flannel:v0.27.0", "example.org/pause:3.10");
        assertThat(referenced.stream().filter(r -> !mirrored.contains(r))).containsExactlyInAnyOrder(
                "docker.io/flannel/flannel:v0.27.0", "example.org/pause:3.10");
    }
}
