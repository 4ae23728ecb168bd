package io.yoo.installer.core.config.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.ClusterConfigArtifacts;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.template.Templates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every kubeadm config Yoo renders, for every machine of every example architecture, passes
 * kubeadm's strict decoding and validation rules ({@link KubeadmDocumentCheck}), plus Yoo's own
 * rules: joiners carry no certificate key and every bootstrap token expires within 24 hours. The
 * check itself is shown to catch an unknown or misspelled field, a wrong type, a bad token and
 * the other rules it encodes.
 */
class KubeadmConformanceTest {
    // a window other than the one the test runs in: the installed config must use this clock too
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T03:00:00Z"), ZoneOffset.UTC);
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static ClusterSecrets secrets;

    @BeforeAll
    static void secrets() {
        secrets = new SecretsGenerator().generate();
    }

    static Stream<Arguments> machinesOfEveryExample() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String example : DescriptorLoader.EXAMPLES) {
            ClusterDescriptor c = DescriptorLoader.loadExample(example);
            for (Machine m : c.machines()) {
                out.add(Arguments.of(example, m.name()));
            }
        }
        return out.stream();
    }

    static ClusterConfigArtifacts artifacts(ClusterDescriptor c) {
        return new ClusterConfigArtifacts(c, BootUrls.of(c.network().serverAddress(), c.server().httpPort()), TOKENS,
                () -> secrets, Templates.builtIn(), StepLimits.DEFAULT, CLOCK);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("machinesOfEveryExample")
    void every_rendered_kubeadm_config_is_one_kubeadm_accepts(String example, String machine) throws Exception {
        ClusterDescriptor c = DescriptorLoader.loadExample(example);
        ClusterConfigArtifacts a = artifacts(c);
        String kubeadm = a.render(machine, ArtifactKind.KUBEADM).orElseThrow().text();

        assertThat(KubeadmDocumentCheck.problems(kubeadm)).as(kubeadm).isEmpty();
        assertThat(yoosRules(kubeadm)).as(kubeadm).isEmpty();
        // the copy inside the installed config is the same file
        assertThat(installedFile(a.render(machine, ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), "/etc/kubernetes/yoo/kubeadm.yaml"))
                .isEqualTo(kubeadm);
    }

    /** Yoo's rules on top of kubeadm's: no certificate key anywhere, tokens that expire within 24 h. */
    static List<String> yoosRules(String yaml) {
        List<String> p = new ArrayList<>();
        for (Object o : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            Map<?, ?> d = (Map<?, ?>) o;
            if (d.containsKey("certificateKey") || (d.get("controlPlane") instanceof Map<?, ?> cp && cp.containsKey("certificateKey"))) {
                p.add(d.get("kind") + ": certificateKey set (joiners use the pre-placed PKI; uploaded certificates expire after 2 h)");
            }
            if (d.get("bootstrapTokens") instanceof List<?> tokens) {
                for (Object t : tokens) {
                    Object ttl = ((Map<?, ?>) t).get("ttl");
                    if (!"24h0m0s".equals(ttl) && !(ttl instanceof String s && s.matches("([1-9]|1[0-9]|2[0-3])h([0-5]?[0-9]m)?([0-5]?[0-9]s)?"))) {
                        p.add("bootstrapTokens: ttl '" + ttl + "' is not within 24 h (0s never expires)");
                    }
                }
            }
        }
        return p;
    }

    static String installedFile(String ignition, String path) throws Exception {
        if (ignition.startsWith("#cloud-config")) {
            Map<?, ?> doc = (Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions())).load(ignition);
            for (Object o : (List<?>) doc.get("write_files")) {
                if (path.equals(((Map<?, ?>) o).get("path"))) {
                    return (String) ((Map<?, ?>) o).get("content");
                }
            }
            throw new AssertionError(path + " not in the installed config");
        }
        for (JsonNode f : new ObjectMapper().readTree(ignition).at("/storage/files")) {
            if (f.get("path").asText().equals(path)) {
                String src = f.at("/contents/source").asText();
                return new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(path + " not in the installed config");
    }

    static String render(String example, boolean init) throws Exception {
        ClusterDescriptor c = DescriptorLoader.loadExample(example);
        String machine = init ? c.firstControlPlane().name() : c.machines().getLast().name();
        return artifacts(c).render(machine, ArtifactKind.KUBEADM).orElseThrow().text();
    }

    /** The check fails on each kind of mistake it claims to catch, naming the field. */
    @Test
    void the_check_catches_unknown_fields_wrong_types_and_broken_rules() throws Exception {
        String init = render("production", true);
        String join = render("production", false);
        assertThat(KubeadmDocumentCheck.problems(init)).isEmpty();
        assertThat(KubeadmDocumentCheck.problems(join)).isEmpty();

        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("ClusterConfiguration.controlPlaneEndpiont: unknown field", init.replace("controlPlaneEndpoint:", "controlPlaneEndpiont:"));
        broken.put("InitConfiguration.nodeRegistration.kubeletExtraArg: unknown field", init.replace("kubeletExtraArgs:", "kubeletExtraArg:"));
        broken.put("ClusterConfiguration.networking.podCidr: unknown field", init.replace("podSubnet:", "podCidr:"));
        broken.put("KubeletConfiguration.cgroupdriver: unknown field", init.replace("cgroupDriver:", "cgroupdriver:"));
        broken.put("JoinConfiguration.discovery.bootstrapToken.caCertHash: unknown field", join.replace("caCertHashes:", "caCertHash:"));
        broken.put("InitConfiguration.localAPIEndpoint.bindPort: '6443' (String) is not an integer",
                init.replace("bindPort: 6443", "bindPort: \"6443\""));
        broken.put("InitConfiguration.bootstrapTokens[0].ttl: 'forever' is not a Go duration", init.replace("ttl: \"24h0m0s\"", "ttl: forever"));
        broken.put("JoinConfiguration.discovery.bootstrapToken.token: 'abc.def': the bootstrap token is invalid",
                join.replaceAll("token: \"[a-z0-9.]+\"", "token: \"abc.def\""));
        broken.put("JoinConfiguration.discovery: bootstrapToken or file must be set",
                join.replaceAll("(?s)discovery:\n.*?caCertHashes:\n    - \"[^\"]+\"\n", "discovery: {}\n"));
        broken.put("JoinConfiguration.discovery.bootstrapToken.caCertHashes: token-based discovery without caCertHashes",
                join.replaceAll("(?s)    caCertHashes:\n    - \"[^\"]+\"\n", ""));
        broken.put("JoinConfiguration.discovery.bootstrapToken.apiServerEndpoint: '10.12.1.100' is not host:port",
                join.replace("apiServerEndpoint: \"10.12.1.100:6443\"", "apiServerEndpoint: \"10.12.1.100\""));
        broken.put("ClusterConfiguration.networking.podSubnet: the size of pod subnet with mask 28",
                init.replace("podSubnet: \"10.244.0.0/16\"", "podSubnet: \"10.244.0.0/28\""));
        broken.put("ClusterConfiguration.networking.serviceSubnet: 10.0.0.0/8 is too large",
                init.replace("serviceSubnet: \"10.96.0.0/12\"", "serviceSubnet: \"10.0.0.0/8\""));
        broken.put("ClusterConfiguration.controlPlaneEndpoint: 'api_vip:6443' is not a valid endpoint",
                init.replace("controlPlaneEndpoint: \"10.12.1.100:6443\"", "controlPlaneEndpoint: \"api_vip:6443\""));
        broken.put("InitConfiguration.nodeRegistration.criSocket: only URL scheme \"unix\"",
                init.replace("criSocket: unix:///run/containerd/containerd.sock", "criSocket: /run/containerd/containerd.sock"));
        broken.put("InitConfiguration.bootstrapTokens[0].usages: 'signin'", init.replace("usages: [signing,", "usages: [signin,"));
        broken.put("InitConfiguration.localAPIEndpoint.advertiseAddress: '10.12.1.300'",
                init.replace("advertiseAddress: \"10.12.1.1\"", "advertiseAddress: \"10.12.1.300\""));
        broken.put("JoinConfiguration.controlPlane.certificateKey: not a hex-encoded AES key",
                render("production", false).isEmpty() ? "" : renderControlPlaneJoin().replace("controlPlane:\n", "controlPlane:\n  certificateKey: \"xyz\"\n"));
        broken.put("kubeadm.k8s.io/v1beta4/JoinConfig: not a kind", join.replace("kind: JoinConfiguration", "kind: JoinConfig"));
        broken.put("ClusterConfiguration.etcd: either .Etcd.Local or .Etcd.External is required",
                init.replaceAll("(?s)etcd:\n.*?dataDir: /var/lib/etcd\n", "etcd: {}\n"));

        broken.forEach((expected, yaml) -> {
            assertThat(yaml).as("mutation for '%s' changed nothing", expected).isNotEqualTo(init).isNotEqualTo(join);
            assertThat(KubeadmDocumentCheck.problems(yaml)).as(expected).anyMatch(p -> p.startsWith(expected));
        });
    }

    static String renderControlPlaneJoin() throws Exception {
        ClusterDescriptor c = DescriptorLoader.loadExample("production");
        return artifacts(c).render(c.controlPlane().get(1).name(), ArtifactKind.KUBEADM).orElseThrow().text();
    }

    @Test
    void yoos_rules_catch_a_certificate_key_and_a_token_that_never_expires() throws Exception {
        String cpJoin = renderControlPlaneJoin();
        assertThat(yoosRules(cpJoin)).isEmpty();
        assertThat(yoosRules(cpJoin.replace("controlPlane:\n", "controlPlane:\n  certificateKey: \"" + "ab".repeat(32) + "\"\n")))
                .singleElement().asString().contains("certificateKey");
        assertThat(yoosRules(render("production", true).replace("ttl: \"24h0m0s\"", "ttl: \"0s\""))).singleElement().asString().contains("0s");
    }
}
