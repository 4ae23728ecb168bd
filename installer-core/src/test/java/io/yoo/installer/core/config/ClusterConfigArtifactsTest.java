package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.cloudconfig.CloudConfigRules;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.kubernetes.ClusterImages;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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

class ClusterConfigArtifactsTest {
    static ClusterSecrets secrets;
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final BootUrls URLS = new BootUrls("http://10.12.0.1:8080");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T17:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void secrets() {
        secrets = new SecretsGenerator().generate();
    }

    static ClusterDescriptor cluster(Architecture arch, ConfigDialect dialect) {
        return ConfigFixtures.cluster(arch, dialect, "/dev/sda", Path.of("/var/lib/yoo-test"));
    }

    static ClusterConfigArtifacts artifacts(ClusterDescriptor c) {
        return new ClusterConfigArtifacts(c, URLS, TOKENS, () -> secrets, Templates.builtIn(), StepLimits.DEFAULT, CLOCK);
    }

    static Stream<Arguments> architecturesAndDialects() {
        List<Arguments> a = new ArrayList<>();
        for (Architecture arch : Architecture.values()) {
            for (ConfigDialect d : ConfigDialect.values()) {
                a.add(Arguments.of(arch, d));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("architecturesAndDialects")
    void everyMachineRendersValidConfigsInBothStages(Architecture arch, ConfigDialect dialect) throws IOException {
        ClusterDescriptor c = cluster(arch, dialect);
        ClusterConfigArtifacts artifacts = artifacts(c);
        Schema schema = dialect == ConfigDialect.IGNITION ? ignitionSchema() : null;
        int rendered = 0;
        for (Machine m : c.machines()) {
            for (ArtifactKind kind : List.of(ArtifactKind.LIVE_CONFIG, ArtifactKind.INSTALLED_CONFIG)) {
                Rendered r = artifacts.render(m.name(), kind).orElseThrow();
                if (dialect == ConfigDialect.IGNITION) {
                    List<Error> errors = schema.validate(r.text(), InputFormat.JSON);
                    assertThat(errors).as(m.name() + " " + kind + "\n" + r.text()).isEmpty();
                    assertThat(RenderedConfigCheck.ignitionProblems(r.text())).isEmpty();
                    assertThat(JSON.readTree(r.text()).at("/ignition/version").asText()).isEqualTo("3.4.0");
                } else {
                    assertThat(r.text()).startsWith("#cloud-config\n");
                    assertThat(CloudConfigRules.problems(r.text())).as(m.name() + " " + kind + "\n" + r.text()).isEmpty();
                }
                assertThat(files(r.text(), dialect)).isNotEmpty();
                rendered++;
            }
            assertThat(artifacts.render(m.name(), ArtifactKind.INSTALL_SCRIPT).orElseThrow().text()).startsWith("#!/bin/sh");
            assertThat(artifacts.render(m.name(), ArtifactKind.KUBEADM).orElseThrow().text()).contains("kind: ");
        }
        assertThat(rendered).isEqualTo(2 * c.machines().size());
    }

    @Test
    void schemaCheckCatchesABrokenIgnitionDocument() throws IOException {
        // the schema check itself must be able to fail: a mode given as a string is not spec 3.4
        String broken = "{\"ignition\":{\"version\":\"3.4.0\"},\"storage\":{\"files\":[{\"path\":\"/x\",\"mode\":\"0644\"}]}}";
        assertThat(ignitionSchema().validate(broken, InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void liveKernelArgumentsPointAtTheLiveConfigInTheMachinesDialect() {
        ClusterConfigArtifacts ign = artifacts(cluster(Architecture.SMALL, ConfigDialect.IGNITION));
        assertThat(ign.liveKernelArgs("core-1")).containsExactly("flatcar.first_boot=1",
                "ignition.config.url=" + URLS.liveConfig("core-1", TOKENS.tokenFor("core-1")));
        assertThat(ign.liveKernelArgs("core-2")).contains("flatcar.autologin"); // per-machine override
        ClusterConfigArtifacts cc = artifacts(cluster(Architecture.SMALL, ConfigDialect.CLOUD_CONFIG));
        assertThat(cc.liveKernelArgs("node-4")).containsExactly("cloud-config-url=" + URLS.liveConfig("node-4", TOKENS.tokenFor("node-4")));
        assertThat(cc.liveKernelArgs("nobody")).isEmpty();
    }

    @Test
    void bootLoaderKindsAndUnknownMachinesAreEmpty() {
        ClusterConfigArtifacts a = artifacts(cluster(Architecture.DEV, ConfigDialect.IGNITION));
        assertThat(a.render("core-1", ArtifactKind.IPXE)).isEmpty();
        assertThat(a.render("core-1", ArtifactKind.GRUB)).isEmpty();
        assertThat(a.render("core-1", ArtifactKind.PXELINUX)).isEmpty();
        assertThat(a.render("nobody", ArtifactKind.INSTALLED_CONFIG)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("architecturesAndDialects")
    void caKeysGoOnlyToControlPlaneNodes(Architecture arch, ConfigDialect dialect) throws IOException {
        ClusterDescriptor c = cluster(arch, dialect);
        ClusterConfigArtifacts a = artifacts(c);
        for (Machine m : c.machines()) {
            Map<String, String> files = files(a.render(m.name(), ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), dialect);
            String all = String.join("\n", files.values());
            if (m.role() == Role.CONTROL_PLANE) {
                assertThat(files.get("/etc/kubernetes/pki/ca.key")).isEqualTo(secrets.kubernetesCa().keyPem());
                assertThat(files.get("/etc/kubernetes/pki/etcd/ca.key")).isEqualTo(secrets.etcdCa().keyPem());
                assertThat(files.get("/etc/kubernetes/pki/front-proxy-ca.key")).isEqualTo(secrets.frontProxyCa().keyPem());
                assertThat(files.get("/etc/kubernetes/pki/sa.key")).isEqualTo(secrets.serviceAccountKeyPem());
            } else {
                assertThat(files.keySet()).noneMatch(p -> p.startsWith("/etc/kubernetes/pki/"));
                assertThat(all).doesNotContain("PRIVATE KEY").doesNotContain(secrets.certificateKey());
            }
            // the certificate key (the join-token key) never leaves the server
            assertThat(all).doesNotContain(secrets.certificateKey());
            // the live system needs no cluster secrets at all
            String live = a.render(m.name(), ArtifactKind.LIVE_CONFIG).orElseThrow().text();
            assertThat(live).doesNotContain(secrets.bootstrapToken());
            assertThat(String.join("\n", files(live, dialect).values())).doesNotContain("PRIVATE KEY").doesNotContain(secrets.bootstrapToken());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void kubeadmTopologyFollowsTheArchitecture(Architecture arch) {
        ClusterDescriptor c = cluster(arch, ConfigDialect.IGNITION);
        ClusterConfigArtifacts a = artifacts(c);
        // small and production: the VIP; dev and devtest: the one control-plane node
        String endpoint = (arch == Architecture.SMALL || arch == Architecture.PRODUCTION ? ConfigFixtures.VIP
                : c.firstControlPlane().ip().toString()) + ":6443";
        int inits = 0;
        for (Machine m : c.machines()) {
            List<Map<String, Object>> docs = yamlDocs(a.render(m.name(), ArtifactKind.KUBEADM).orElseThrow().text());
            Map<String, Object> first = docs.getFirst();
            if (first.get("kind").equals("InitConfiguration")) {
                inits++;
                assertThat(m).isEqualTo(c.firstControlPlane());
                assertThat(first).doesNotContainKey("certificateKey"); // nothing is uploaded: joiners have the PKI
                assertThat(get(first, "bootstrapTokens")).asString().contains("ttl=24h0m0s").doesNotContain("ttl=0s");
                Map<String, Object> cluster = docs.stream().filter(d -> "ClusterConfiguration".equals(d.get("kind"))).findFirst().orElseThrow();
                assertThat(cluster.get("controlPlaneEndpoint")).isEqualTo(endpoint);
                assertThat(get(cluster, "networking", "podSubnet")).isEqualTo("10.244.0.0/16");
                assertThat(get(cluster, "etcd", "local")).isNotNull(); // stacked etcd
                Object taints = get(first, "nodeRegistration", "taints");
                if (arch == Architecture.DEV) {
                    assertThat(taints).isEqualTo(List.of()); // single untainted node
                } else {
                    assertThat(taints).isNull(); // kubeadm's default control-plane taint stays
                }
            } else {
                assertThat(first.get("kind")).isEqualTo("JoinConfiguration");
                assertThat(get(first, "discovery", "bootstrapToken", "caCertHashes")).isEqualTo(List.of(secrets.kubernetesCa().caCertHash()));
                // the machine's own, expiring token: the one the server hands out at this time
                String own = a.render(m.name(), ArtifactKind.JOIN_TOKEN).orElseThrow().text().strip();
                assertThat(get(first, "discovery", "bootstrapToken", "token")).isEqualTo(own).isNotEqualTo(secrets.bootstrapToken());
                assertThat(get(first, "discovery", "bootstrapToken", "apiServerEndpoint")).isEqualTo(endpoint);
                if (m.role() == Role.CONTROL_PLANE) {
                    assertThat(get(first, "controlPlane", "certificateKey")).isNull();
                    assertThat(get(first, "controlPlane", "localAPIEndpoint", "advertiseAddress")).isEqualTo(m.ip().toString());
                } else {
                    assertThat(first.get("controlPlane")).isNull();
                }
            }
            assertThat(((String) first.get("apiVersion"))).isEqualTo(arch == Architecture.DEVTEST ? "kubeadm.k8s.io/v1beta3" : "kubeadm.k8s.io/v1beta4");
        }
        assertThat(inits).isEqualTo(1);
        int expectedCp = switch (arch) {
            case DEV, DEVTEST -> 1;
            case SMALL, PRODUCTION -> 3;
        };
        assertThat(c.controlPlane()).hasSize(expectedCp);
    }

    static Stream<Architecture> architectures() {
        return Stream.of(Architecture.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void productionWorkerCarriesNetworkProxyMirrorLabelsAndReporting(ConfigDialect dialect) throws IOException {
        ClusterDescriptor c = cluster(Architecture.PRODUCTION, dialect);
        Machine worker = c.workers().getFirst();
        String text = artifacts(c).render(worker.name(), ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        Map<String, String> files = files(text, dialect);
        Map<String, List<String>> dropins = dropins(text, dialect);

        String network = networkUnit(text, dialect);
        assertThat(network).contains("MACAddress=52:54:00:12:01:04", "Address=10.12.1.14/16", "Gateway=10.12.0.254",
                "DNS=10.12.0.2", "DNS=10.12.0.3", "Domains=cluster.example");
        assertThat(files.get("/etc/systemd/timesyncd.conf.d/10-yoo.conf")).contains("NTP=10.12.0.2 ntp.cluster.example");
        assertThat(files.get("/etc/ssh/sshd_config")).contains("PasswordAuthentication no", "PermitRootLogin no");
        assertThat(files.get("/etc/containerd/certs.d/docker.io/hosts.toml")).contains("[host.\"https://mirror.cluster.example:5000\"]");
        assertThat(dropins.get("update-engine.service")).anyMatch(d -> d.contains("ALL_PROXY=http://proxy.cluster.example:3128"));
        assertThat(dropins.get("containerd.service"))
                .anyMatch(d -> d.contains("HTTPS_PROXY=http://proxy.cluster.example:3128") && d.contains("NO_PROXY=") && d.contains("10.96.0.0/12"))
                .anyMatch(d -> d.contains("--config /etc/containerd/config.toml"));
        assertThat(files.get("/etc/kubernetes/yoo/kubeadm.yaml")).contains("cabinet=three,disk=hdd,role=worker");
        assertThat(files.get("/opt/yoo/bin/report-running")).contains(URLS.callback(worker.name(), TOKENS.tokenFor(worker.name())),
                "\"phase\":\"running\"");
        if (dialect == ConfigDialect.IGNITION) {
            assertThat(files.get("/etc/flatcar/update.conf")).contains("GROUP=stable", "REBOOT_STRATEGY=off");
        } else {
            assertThat(text).contains("reboot_strategy: 'off'");
        }
    }

    @Test
    void flannelIsAppliedByTheInitNodeWithThePodCidr() throws IOException {
        ClusterDescriptor c = cluster(Architecture.DEVTEST, ConfigDialect.IGNITION);
        Map<String, String> init = files(artifacts(c).render("core-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), ConfigDialect.IGNITION);
        List<Map<String, Object>> docs = yamlDocs(init.get("/etc/kubernetes/yoo/kube-flannel.yml"));
        assertThat(docs).extracting(d -> d.get("kind")).contains("Namespace", "ClusterRole", "ConfigMap", "DaemonSet");
        Map<String, Object> cm = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
        JsonNode net = JSON.readTree((String) get(cm, "data", "net-conf.json"));
        assertThat(net.get("Network").asText()).isEqualTo("10.244.0.0/16");
        assertThat(init.get("/opt/yoo/bin/kubeadm-up")).contains("kubeadm init --config").doesNotContain("--upload-certs");
        String initText = artifacts(c).render("core-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        JsonNode cni = null;
        for (JsonNode u : JSON.readTree(initText).at("/systemd/units")) {
            if (u.get("name").asText().equals("yoo-cni.service")) {
                cni = u;
            }
        }
        assertThat(cni).isNotNull();
        assertThat(cni.get("enabled").asBoolean()).isTrue();
        assertThat(cni.get("contents").asText()).contains("ExecStart=/opt/yoo/bin/apply-cni", "After=yoo-kubeadm.service", "Restart=on-failure");
        assertThat(init.get("/opt/yoo/bin/apply-cni")).contains("apply -f /etc/kubernetes/yoo/kube-flannel.yml");
        Map<String, String> worker = files(artifacts(c).render("node-2", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), ConfigDialect.IGNITION);
        assertThat(worker).doesNotContainKey("/etc/kubernetes/yoo/kube-flannel.yml");
        assertThat(artifacts(c).render("node-2", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text()).doesNotContain("yoo-cni.service");
        assertThat(worker.get("/opt/yoo/bin/kubeadm-up")).contains("kubeadm join --config").doesNotContain("init");
    }

    /**
     * Only the init node looks for a running cluster before kubeadm init: at the other
     * control-plane machines, not at itself or the VIP; joiners and a lone control plane don't.
     */
    @Test
    void theInitNodeLooksForARunningClusterAtTheOtherControlPlaneMachines() throws IOException {
        ClusterDescriptor small = cluster(Architecture.SMALL, ConfigDialect.IGNITION);
        String init = files(artifacts(small).render("core-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), ConfigDialect.IGNITION)
                .get("/opt/yoo/bin/kubeadm-up");
        assertThat(init).contains("for peer in 10.12.1.12 10.12.1.13; do", "https://$peer:6443/livez", "if peer=$(running_api_server); then")
                .doesNotContain("10.12.1.11 ").doesNotContain("peer in 10.12.1.12 10.12.1.13 " + ConfigFixtures.VIP);
        assertThat(init.indexOf("running_api_server; then")).as("checked before the attempts").isLessThan(init.indexOf("kubeadm init --config"));
        for (String other : List.of("core-2", "node-4")) {
            assertThat(files(artifacts(small).render(other, ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), ConfigDialect.IGNITION)
                    .get("/opt/yoo/bin/kubeadm-up")).as(other).doesNotContain("running_api_server");
        }
        ClusterDescriptor lone = cluster(Architecture.DEVTEST, ConfigDialect.IGNITION);
        assertThat(files(artifacts(lone).render("core-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text(), ConfigDialect.IGNITION)
                .get("/opt/yoo/bin/kubeadm-up")).as("no other control-plane machine").doesNotContain("running_api_server");
    }

    /** The names in the configs are the names the mirrored archives are imported under. */
    @Test
    void renderedImageNamesMatchWhatIsMirroredAndImportedBeforeKubeadm() throws IOException {
        ClusterDescriptor c = cluster(Architecture.DEVTEST, ConfigDialect.IGNITION);
        ClusterImages images =
                KubernetesImages.forVersion(c.kubernetes().version(), "flannel", false);
        String text = artifacts(c).render("core-1", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        Map<String, String> init = files(text, ConfigDialect.IGNITION);
        assertThat(init.get("/etc/containerd/config.toml")).contains("sandbox_image = \"" + images.sandboxImage().name() + "\"");
        Map<String, Object> clusterConfig = yamlDocs(init.get("/etc/kubernetes/yoo/kubeadm.yaml")).stream()
                .filter(d -> "ClusterConfiguration".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(clusterConfig.get("imageRepository")).isEqualTo(images.imageRepository());
        String flannel = init.get("/etc/kubernetes/yoo/kube-flannel.yml");
        images.cni().forEach(i -> assertThat(flannel).contains("image: " + i.name()));
        String kubeadmUnit = null;
        for (JsonNode u : JSON.readTree(text).at("/systemd/units")) {
            if (u.get("name").asText().equals("yoo-kubeadm.service")) {
                kubeadmUnit = u.get("contents").asText();
            }
        }
        // ordered after the import and pulling it in; Wants, not Requires: a failed import must not
        // skip kubeadm-up silently, kubeadm-up itself refuses and reports when the marker is missing
        assertThat(kubeadmUnit).containsPattern("(?m)^Wants=.*yoo-preload-images\\.service").containsPattern("(?m)^After=.*yoo-preload-images\\.service")
                .doesNotContainPattern("(?m)^Requires=.*yoo-preload-images");
        assertThat(init.get("/opt/yoo/bin/kubeadm-up")).contains("if [ ! -f \"$STATE/images-preloaded\" ]; then");
        assertThat(init.get("/opt/yoo/bin/preload-images")).contains("touch /var/lib/yoo/images-preloaded");
    }

    @Test
    void noProxyMeansNoProxyDropins() throws IOException {
        String text = artifacts(cluster(Architecture.SMALL, ConfigDialect.IGNITION)).render("node-4", ArtifactKind.INSTALLED_CONFIG).orElseThrow().text();
        assertThat(text).doesNotContain("update-engine.service");
        assertThat(dropins(text, ConfigDialect.IGNITION).get("containerd.service")).noneMatch(d -> d.contains("PROXY"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void liveConfigRunsTheInstallScriptAndHonoursAutologin(ConfigDialect dialect) throws IOException {
        ClusterDescriptor c = cluster(Architecture.SMALL, dialect);
        ClusterConfigArtifacts a = artifacts(c);
        String plain = a.render("core-1", ArtifactKind.LIVE_CONFIG).orElseThrow().text();
        String autologin = a.render("core-2", ArtifactKind.LIVE_CONFIG).orElseThrow().text(); // override: autologin on
        assertThat(files(plain, dialect).get("/opt/yoo/bin/run-install")).contains(URLS.installScript("core-1", TOKENS.tokenFor("core-1")));
        assertThat(plain).contains("yoo-install.service").contains(ConfigFixtures.SSH_KEY).doesNotContain("--autologin");
        assertThat(dropins(autologin, dialect).get("getty@tty1.service")).anyMatch(d -> d.contains("--autologin core"));
        if (dialect == ConfigDialect.CLOUD_CONFIG) {
            assertThat(plain).contains("command: start");
        }
    }

    @Test
    void unsafeDescriptorValuesAreRefusedWithTheFieldNamed() {
        ClusterDescriptor c = cluster(Architecture.DEV, ConfigDialect.IGNITION);
        Machine m = c.machines().getFirst();
        Machine evil = new Machine(m.name(), m.macs(), m.uuid(), m.ip(), m.role(), Map.of("kubernetes.io/role", "x"), m.overrides(), m.bmc());
        ClusterDescriptor bad = new ClusterDescriptor(c.name(), c.architecture(), c.network(), c.server(), c.os(), c.kubernetes(), c.sshKeys(),
                c.proxy(), c.ntp(), c.registryMirror(), c.preloadImages(), List.of(evil), c.source());
        assertThatThrownBy(() -> artifacts(bad).render(m.name(), ArtifactKind.KUBEADM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels").hasMessageContaining("kubernetes.io/role");

        ClusterDescriptor badDisk = ConfigFixtures.cluster(Architecture.DEV, ConfigDialect.IGNITION, "/dev/sda; reboot", Path.of("/tmp"));
        assertThatThrownBy(() -> artifacts(badDisk).render("core-1", ArtifactKind.INSTALL_SCRIPT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("installDisk");
    }

    static Stream<ConfigDialect> dialects() {
        return Stream.of(ConfigDialect.values());
    }

    // ---- reading rendered configs back -------------------------------------------------------

    static Schema ignitionSchema() throws IOException {
        Path file = Peers.shared().resolve("schemas/ignition/ignition-spec-3.4.json");
        try (InputStream in = Files.newInputStream(file)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in, InputFormat.JSON);
        }
    }

    /** path → content of every file the config writes. */
    static Map<String, String> files(String text, ConfigDialect dialect) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (dialect == ConfigDialect.IGNITION) {
            for (JsonNode f : JSON.readTree(text).at("/storage/files")) {
                String src = f.at("/contents/source").asText();
                out.put(f.get("path").asText(), new String(Base64.getDecoder().decode(src.substring(src.indexOf(",") + 1)), StandardCharsets.UTF_8));
            }
        } else {
            Map<String, Object> doc = yamlDocs(text).getFirst();
            for (Object o : (List<?>) doc.getOrDefault("write_files", List.of())) {
                Map<?, ?> f = (Map<?, ?>) o;
                out.put((String) f.get("path"), (String) f.get("content"));
            }
        }
        return out;
    }

    /** unit name → drop-in contents. */
    static Map<String, List<String>> dropins(String text, ConfigDialect dialect) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        if (dialect == ConfigDialect.IGNITION) {
            for (JsonNode u : JSON.readTree(text).at("/systemd/units")) {
                for (JsonNode d : u.path("dropins")) {
                    out.computeIfAbsent(u.get("name").asText(), k -> new ArrayList<>()).add(d.get("contents").asText());
                }
            }
        } else {
            Map<?, ?> coreos = (Map<?, ?>) yamlDocs(text).getFirst().get("coreos");
            for (Object o : (List<?>) coreos.get("units")) {
                Map<?, ?> u = (Map<?, ?>) o;
                Object ds = u.get("drop_ins");
                for (Object d : ds == null ? List.of() : (List<?>) ds) {
                    out.computeIfAbsent((String) u.get("name"), k -> new ArrayList<>()).add((String) ((Map<?, ?>) d).get("content"));
                }
            }
        }
        return out;
    }

    static String networkUnit(String text, ConfigDialect dialect) throws IOException {
        if (dialect == ConfigDialect.IGNITION) {
            return files(text, dialect).get("/etc/systemd/network/00-yoo-install.network");
        }
        Map<?, ?> coreos = (Map<?, ?>) yamlDocs(text).getFirst().get("coreos");
        return ((List<?>) coreos.get("units")).stream().map(u -> (Map<?, ?>) u)
                .filter(u -> "00-yoo-install.network".equals(u.get("name"))).map(u -> (String) u.get("content")).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocs(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (d != null) {
                docs.add((Map<String, Object>) d);
            }
        }
        return docs;
    }

    static Object get(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(p);
        }
        return cur;
    }
}
