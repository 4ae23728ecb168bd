package io.yoo.installer.core.config.kubeadm;

import io.yoo.installer.core.config.model.ConfigInputs;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.template.Templates;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * kubeadm config files from templates {@code config/kubeadm/*.yaml}: the first control-plane
 * node gets InitConfiguration + ClusterConfiguration + KubeletConfiguration; every other node a
 * JoinConfiguration that pins the cluster CA by its real hash and carries the machine's own
 * expiring join token ({@link JoinTokens}); control-plane joiners add their API endpoint but no
 * certificate key: their CAs and service-account keys are placed on disk by Yoo, so they never
 * depend on kubeadm's uploaded certificates (deleted two hours after init). Etcd is always
 * stacked (kubeadm's local etcd on each control-plane node); {@code dev} clears the
 * control-plane taint.
 *
 * <p>Kubernetes 1.31 and later read {@code kubeadm.k8s.io/v1beta4} (argument lists); older
 * releases get {@code v1beta3} (argument maps).
 */
public final class KubeadmConfigs {
    static final int FIRST_BETA4_MINOR = 31;

    private final Templates templates;
    private final Clock clock;

    public KubeadmConfigs(Templates templates) {
        this(templates, Clock.systemUTC());
    }

    public KubeadmConfigs(Templates templates, Clock clock) {
        this.templates = templates;
        this.clock = clock;
    }

    public String render(NodeContext node) {
        Map<String, Object> m = model(node);
        m.put("nodeRegistration", templates.render("config/kubeadm/node-registration", m).stripTrailing());
        return templates.render(node.isInitNode() ? "config/kubeadm/init.yaml" : "config/kubeadm/join.yaml", m);
    }

    /** The file name the config is served and written as. */
    public static String fileName(NodeContext node) {
        return node.name() + "-kubeadm.yaml";
    }

    static boolean usesBeta4(String kubernetesVersion) {
        String[] parts = kubernetesVersion.split("\\.");
        return Integer.parseInt(parts[0]) > 1 || Integer.parseInt(parts[1]) >= FIRST_BETA4_MINOR;
    }

    /** {@code k1=v1,k2=v2} for the kubelet's {@code --node-labels}, sorted, each label checked. */
    static String nodeLabels(NodeContext node) {
        Map<String, String> sorted = new TreeMap<>(node.machine().labels());
        sorted.forEach((k, v) -> ConfigInputs.nodeLabel("machines." + node.name() + ".labels", k, v));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private Map<String, Object> model(NodeContext node) {
        String version = node.kubernetesVersion();
        Map<String, Object> m = new HashMap<>();
        m.put("node", node.name());
        m.put("cluster", node.cluster().name());
        m.put("architecture", node.cluster().architecture().key());
        m.put("role", node.machine().role().key());
        m.put("apiVersion", usesBeta4(version) ? "v1beta4" : "v1beta3");
        m.put("beta4", usesBeta4(version));
        m.put("kubernetesVersion", version);
        m.put("ip", node.address()); // advertised: IPv6 in a cluster of IPv6-only machines
        m.put("apiPort", NodeContext.API_SERVER_PORT);
        m.put("endpoint", node.controlPlaneEndpointHostPort());
        m.put("podCidr", node.cluster().kubernetes().podCidr().toString());
        m.put("serviceCidr", node.cluster().kubernetes().serviceCidr().toString());
        // dual-stack (kubernetes.podCidrV6): "v4,v6" ranges, and the kubelet's node-ip names both of the node's addresses
        m.put("podSubnets", node.cluster().kubernetes().podSubnets());
        m.put("serviceSubnets", node.cluster().kubernetes().serviceSubnets());
        m.put("nodeIps", node.address() + (node.cluster().kubernetes().dualStack()
                ? node.cluster().ipv6Of(node.machine()).map(a -> "," + a).orElse("") : ""));
        // the registry the mirrored images are named after (they are imported under these names)
        m.put("imageRepository", KubernetesImages.IMAGE_REPOSITORY);
        // the init node's token is the cluster's first (24 h); a joiner's is its own, current one
        m.put("bootstrapToken", node.isInitNode() ? node.secrets().bootstrapToken() : JoinTokens.forMachine(node, clock.instant()));
        m.put("caCertHash", node.secrets().kubernetesCa().caCertHash());
        m.put("controlPlane", node.isControlPlane());
        m.put("untainted", node.untainted() && node.isControlPlane());
        String labels = nodeLabels(node);
        m.put("nodeLabels", labels.isEmpty() ? false : labels);
        return m;
    }
}
