package io.yoo.installer.core.config.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.ClusterConfigArtifacts;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered {@code /opt/yoo/bin/kubeadm-up} run for real, with the kubeadm/kubelet test
 * stand-ins ({@code e2e-assets/kubernetes/}) in {@code /opt/bin}: in its own mount namespace,
 * with overlays over /etc, /var and /opt so that nothing it writes reaches the host, and its
 * reports going to a JDK HTTP server on loopback. The machine's address is 127.0.0.1 so kube-vip's
 * install NIC is found (lo); the VIP is 127.0.0.100, where a worker's wait for the API finds a
 * real TLS server ({@code openssl s_server}).
 */
class KubeadmUpScriptTest {
    static final String CLUSTER = """
            cluster: lab
            architecture: small
            network: { interface: lo, server: 127.0.0.53, subnet: 127.0.0.0/8 }
            kubernetes: { version: 1.32.3, controlPlaneEndpoint: 127.0.0.100 }
            machines:
              - { name: node-1, mac: "52:54:00:12:01:01", ip: 127.0.0.1 }
              - { name: node-2, mac: "52:54:00:12:01:02", ip: 127.0.0.2 }
              - { name: node-3, mac: "52:54:00:12:01:03", ip: 127.0.0.3 }
              - { name: w-1, role: worker, mac: "52:54:00:12:01:04", ip: 127.0.0.4 }
            """;
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final Instant RENDERED_AT = Instant.parse("2026-12-04T17:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    HttpServer server;
    final List<JsonNode> reports = Collections.synchronizedList(new ArrayList<>());
    ClusterDescriptor cluster;
    ClusterSecrets secrets;
    BootUrls urls;
    /** The server answers join-token requests a day later than the config was rendered: the token must be refreshed. */
    ClusterConfigArtifacts serverSide;
    Process tlsServer;

    @BeforeEach
    void setUp() throws Exception {
        Peers.requireRoot();
        Peers.requireCommands("unshare", "mount", "sh", "curl", "ip");
        cluster = DescriptorLoader.parse(CLUSTER, Path.of("cluster.yml"), tmp);
        secrets = new SecretsGenerator().generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        urls = new BootUrls("http://127.0.0.1:" + server.getAddress().getPort());
        serverSide = artifacts(Clock.fixed(RENDERED_AT.plusSeconds(86_400), ZoneOffset.UTC));
        server.createContext("/", ex -> {
            byte[] body;
            int status = 200;
            String path = ex.getRequestURI().getPath();
            if ("POST".equals(ex.getRequestMethod())) {
                reports.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
                body = "{}".getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/join-token")) {
                String machine = path.split("/")[2];
                body = serverSide.render(machine, ArtifactKind.JOIN_TOKEN).orElseThrow().bytes();
            } else {
                status = 404;
                body = new byte[0];
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (tlsServer != null) {
            tlsServer.destroy();
            tlsServer.waitFor(10, TimeUnit.SECONDS);
        }
    }

    ClusterConfigArtifacts artifacts(Clock clock) {
        return new ClusterConfigArtifacts(cluster, urls, TOKENS, () -> secrets, Templates.builtIn(), StepLimits.DEFAULT, clock);
    }

    @Test
    void a_failed_init_is_reported_reset_and_retried_and_kube_vip_switches_to_admin_conf() throws Exception {
        Result r = run("node-1", "touch /etc/kubernetes/yoo/fail-first-attempt");

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).doesNotContain("STANDIN-ASSERT").contains("kube-vip manifest present for VIP 127.0.0.100");
        // partial state left by the failed attempt was reset before the retry (else: preflight "already exists")
        assertThat(r.file("/var/lib/yoo-standin/history")).isEqualTo("init-failed\nreset\ninit-ok\n");
        assertThat(r.file("/var/lib/yoo/kubeadm-done")).isNotNull();
        assertThat(phases()).containsExactly("kubeadm-init:started", "kubeadm-init:failed", "kubeadm-init:started", "kubeadm-init:succeeded");
        String failure = reports.get(1).get("message").asText();
        assertThat(failure).startsWith("attempt 1 of 4 failed in kubeadm phase wait-control-plane: ").contains("injected by the test stand-in");
        // after init kube-vip reads admin.conf, on the install NIC
        String manifest = r.file("/etc/kubernetes/manifests/kube-vip.yaml");
        assertThat(manifest).contains("path: /etc/kubernetes/admin.conf", "value: \"lo\"", "value: \"127.0.0.100\"")
                .doesNotContain("path: /etc/kubernetes/super-admin.conf", "@YOO_INSTALL_NIC@");
    }

    @Test
    void attempts_are_bounded_and_each_failure_is_reported() throws Exception {
        Result r = run("node-1", "touch /etc/kubernetes/yoo/fail-every-attempt");

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).contains("kubeadm init failed 4 times; giving up");
        assertThat(r.file("/var/lib/yoo-standin/history")).isEqualTo("init-failed\nreset\n".repeat(4));
        assertThat(phases()).filteredOn(p -> p.endsWith(":failed")).hasSize(4);
        assertThat(phases()).doesNotContain("kubeadm-init:succeeded");
        assertThat(r.file("/var/lib/yoo/kubeadm-done")).isNull();
    }

    @Test
    void without_the_image_import_kubeadm_is_not_run_and_that_is_reported() throws Exception {
        Result r = run("node-1", "rm /var/lib/yoo/images-preloaded");

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.file("/var/lib/yoo-standin/history")).isNull();
        assertThat(phases()).containsExactly("kubeadm-init:failed");
        assertThat(reports.getFirst().get("message").asText()).contains("container images were not imported", "yoo-preload-images");
    }

    @Test
    void the_kubeadm_standin_refuses_when_an_image_was_not_imported() throws Exception {
        Result r = run("node-1", "sed -i /kube-apiserver/d /var/lib/yoo-e2e/ctr-imports");

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).contains("image registry.k8s.io/kube-apiserver:* was not imported before kubeadm init");
        assertThat(reports.get(1).get("message").asText()).startsWith("attempt 1 of 4 failed in kubeadm phase preflight: ");
    }

    @Test
    void a_worker_waits_for_the_api_fetches_its_current_token_and_joins() throws Exception {
        Peers.requireCommands("openssl");
        startTlsServerOnTheVip();
        Result r = run("w-1", "");

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).doesNotContain("STANDIN-ASSERT");
        assertThat(r.file("/var/lib/yoo-standin/history")).isEqualTo("join-ok\n");
        assertThat(phases()).containsExactly("kubeadm-join:started", "kubeadm-join:succeeded");
        String served = serverSide.render("w-1", ArtifactKind.JOIN_TOKEN).orElseThrow().text().strip();
        String rendered = artifacts(Clock.fixed(RENDERED_AT, ZoneOffset.UTC)).render("w-1", ArtifactKind.JOIN_TOKEN).orElseThrow().text().strip();
        assertThat(served).isNotEqualTo(rendered);
        assertThat(r.file("/etc/kubernetes/yoo/kubeadm.yaml")).contains("token: \"" + served + "\"").doesNotContain(rendered);
    }

    /**
     * node-1 (the init node) reprovisioned while node-2 still serves the API: kubeadm init would
     * make a second cluster, so kubeadm is not run, and the failure says why and what to do.
     */
    @Test
    void the_init_node_refuses_kubeadm_init_while_another_control_plane_machine_serves_the_api() throws Exception {
        Peers.requireCommands("openssl");
        startTlsServer("127.0.0.2");
        Result r = run("node-1", "");

        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.file("/var/lib/yoo-standin/history")).as("kubeadm never ran").isNull();
        assertThat(r.file("/var/lib/yoo/kubeadm-done")).isNull();
        assertThat(phases()).containsExactly("kubeadm-init:failed");
        assertThat(reports.getFirst().get("message").asText())
                .contains("node-1 is the first control-plane machine of cluster lab", "an API server answers at 127.0.0.2",
                        "kubeadm init would start a second cluster", "list a running control-plane machine before node-1",
                        "reprovision node-1 again");
    }

    void startTlsServerOnTheVip() throws Exception {
        startTlsServer("127.0.0.100");
    }

    /** A TLS server on ADDRESS:6443 that answers every request, as an API server of a running cluster does. */
    void startTlsServer(String address) throws Exception {
        Path key = tmp.resolve("tls.key");
        Path crt = tmp.resolve("tls.crt");
        Process gen = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                crt.toString(), "-days", "1", "-subj", "/CN=test-apiserver").redirectErrorStream(true).start();
        gen.getInputStream().readAllBytes();
        assertThat(gen.waitFor(60, TimeUnit.SECONDS)).isTrue();
        tlsServer = new ProcessBuilder("openssl", "s_server", "-quiet", "-www", "-accept", address + ":6443", "-cert", crt.toString(),
                "-key", key.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("s_server.log").toFile()).start();
        // ready when it answers (bounded)
        for (int i = 0; i < 100; i++) {
            Process probe = new ProcessBuilder("curl", "-ksf", "-o", "/dev/null", "--max-time", "2", "https://" + address + ":6443/readyz")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            Peers.require(tlsServer.isAlive(), "openssl s_server could not listen on " + address + ":6443: " + Files.readString(tmp.resolve("s_server.log")));
            Thread.sleep(100);
        }
        throw new AssertionError("openssl s_server did not answer");
    }

    List<String> phases() {
        synchronized (reports) {
            return reports.stream().map(j -> j.get("phase").asText() + ":" + j.get("status").asText()).toList();
        }
    }

    record Result(int exit, String output, Map<String, String> files) {
        String file(String path) {
            return files.get(path);
        }
    }

    /**
     * Places the machine's rendered files and the stand-ins under overlays in a private mount
     * namespace, runs kubeadm-up with a PATH that lacks /opt/bin (the script must add it), then
     * prints the files the assertions read.
     */
    Result run(String machine, String prepare) throws Exception {
        Map<String, String> files = ignitionFiles(artifacts(Clock.fixed(RENDERED_AT, ZoneOffset.UTC))
                .render(machine, ArtifactKind.INSTALLED_CONFIG).orElseThrow().text());
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (String f : List.of("/opt/yoo/bin/kubeadm-up", "/etc/kubernetes/yoo/kubeadm.yaml", "/etc/kubernetes/yoo/kube-vip.yaml")) {
            if (files.containsKey(f)) {
                Files.writeString(in.resolve(f.substring(f.lastIndexOf('/') + 1)), files.get(f));
            }
        }
        Path standins = Peers.projectRoot().resolve("installer-core/src/test/resources/e2e-assets/kubernetes");
        List<String> shown = List.of("/var/lib/yoo-standin/history", "/var/lib/yoo/kubeadm-done", "/etc/kubernetes/manifests/kube-vip.yaml",
                "/etc/kubernetes/yoo/kubeadm.yaml");
        StringBuilder sh = new StringBuilder("set -e\nW=" + tmp + "\n");
        for (String d : List.of("etc", "var", "opt")) {
            sh.append("mkdir -p $W/").append(d).append("-up $W/").append(d).append("-work\n")
                    .append("mount -t overlay overlay -o lowerdir=/").append(d).append(",upperdir=$W/").append(d)
                    .append("-up,workdir=$W/").append(d).append("-work /").append(d).append('\n');
        }
        sh.append("mkdir -p /opt/bin /opt/yoo/bin /etc/kubernetes/yoo /var/lib/yoo\n")
                .append("cp ").append(standins.resolve("kubeadm")).append(' ').append(standins.resolve("kubelet")).append(" /opt/bin/\n")
                .append("cp $W/in/kubeadm-up /opt/yoo/bin/ && cp $W/in/*.yaml /etc/kubernetes/yoo/\n")
                // what preload-images and the ctr stand-in leave after importing the mirrored images
                .append("mkdir -p /var/lib/yoo-e2e && touch /var/lib/yoo/images-preloaded\n")
                .append("printf '%s\\n' ").append(String.join(" ", KubernetesImages.forVersion(cluster.kubernetes().version(), "flannel", true)
                        .all().stream().map(i -> i.name()).toList())).append(" > /var/lib/yoo-e2e/ctr-imports\n")
                .append(prepare).append('\n')
                .append("set +e\nenv -i PATH=/usr/bin:/bin YOO_KUBEADM_BACKOFF=1 sh /opt/yoo/bin/kubeadm-up\necho \"YOO-EXIT=$?\"\n");
        for (String f : shown) {
            sh.append("if [ -f ").append(f).append(" ]; then echo '>>>FILE ").append(f).append("'; cat ").append(f).append("; echo '<<<END'; fi\n");
        }
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", sh.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        // the script never ran: the overlays could not be mounted here (no overlayfs, no CAP_SYS_ADMIN)
        Peers.require(out.contains("YOO-EXIT="), "overlay mounts over /etc, /var, /opt in a private mount namespace: " + out);
        int exit = out.contains("YOO-EXIT=") ? Integer.parseInt(out.replaceAll("(?s).*YOO-EXIT=(\\d+).*", "$1")) : -1;
        Map<String, String> got = new HashMap<>();
        for (String block : out.split(">>>FILE ")) {
            int nl = block.indexOf('\n');
            int end = block.lastIndexOf("<<<END");
            if (nl > 0 && end > nl && block.startsWith("/")) {
                got.put(block.substring(0, nl), block.substring(nl + 1, end));
            }
        }
        return new Result(exit, out, got);
    }

    static Map<String, String> ignitionFiles(String ignition) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (JsonNode f : JSON.readTree(ignition).at("/storage/files")) {
            String src = f.at("/contents/source").asText();
            out.put(f.get("path").asText(), new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8));
        }
        return out;
    }
}
