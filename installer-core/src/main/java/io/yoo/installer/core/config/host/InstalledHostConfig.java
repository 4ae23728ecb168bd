package io.yoo.installer.core.config.host;

import io.yoo.installer.core.config.kubeadm.KubeVip;
import io.yoo.installer.core.config.kubeadm.KubeadmConfigs;
import io.yoo.installer.core.config.model.ConfigInputs;
import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.config.model.UnitSpec;
import io.yoo.installer.core.config.secrets.CertificateAuthority;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import io.yoo.installer.core.descriptor.Ipv6Segment;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.template.Templates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The installed system: network, time, SSH, updates, containerd, kubelet and kubeadm, per role.
 * The Kubernetes binaries themselves are not in here: the install script copies them from the
 * server's offline bundle into {@code /opt/bin} on the installed root.
 */
public final class InstalledHostConfig {
    /** Kubernetes nodes reboot for updates only when an operator (or FLUO/kured) drains them. */
    static final String REBOOT_STRATEGY = "off";
    /** kubeadm init/join attempts before giving up, and the first pause (doubling) between them. */
    static final int KUBEADM_ATTEMPTS = 4;
    static final int KUBEADM_BACKOFF_SECONDS = 30;
    /** How long a joining node waits for the API server before it tries anyway (first wave: the init node may still be installing). */
    static final int API_WAIT_SECONDS = 7200;
    /** Lines of the join-token list a control-plane node acts on: two per machine, with room. */
    static final int MAX_JOIN_TOKEN_LINES = 4096;

    private final Templates templates;
    private final KubeadmConfigs kubeadm;
    private final KubeVip kubeVip;

    public InstalledHostConfig(Templates templates) {
        this(templates, Clock.systemUTC());
    }

    /** @param clock picks the join token written into a joining machine's kubeadm.yaml */
    public InstalledHostConfig(Templates templates, Clock clock) {
        this.templates = templates;
        this.kubeadm = new KubeadmConfigs(templates, clock);
        this.kubeVip = new KubeVip(templates);
    }

    public HostConfig build(NodeContext node) {
        ClusterDescriptor c = node.cluster();
        List<FileSpec> files = new ArrayList<>();
        List<UnitSpec> units = new ArrayList<>();

        files.add(new FileSpec("/etc/hostname", 0644, node.name() + "\n"));
        time(c, files);
        files.add(new FileSpec("/etc/ssh/sshd_config", 0600, templates.render("config/files/sshd_config", Map.of())));
        kernel(files);
        containerd(c, files, units);
        proxy(c, units);
        kubelet(node, files, units);
        secrets(node, files);

        files.add(new FileSpec("/opt/yoo/bin/report-running", 0755,
                templates.render("config/files/report-running.sh", Map.of("callback", node.callbackUrl()))));
        units.add(UnitSpec.of("yoo-report-running.service", templates.render("config/units/yoo-report-running.service", Map.of()), true));

        return new HostConfig(node.name(), node.sshKeys(), files, units, Optional.of(network(node)),
                Optional.of(new HostConfig.UpdatePolicy(node.osChannel(), REBOOT_STRATEGY)));
    }

    private HostConfig.NetworkUnit network(NodeContext node) {
        InstallNetwork net = node.cluster().network();
        Map<String, Object> m = new HashMap<>();
        node.machine().primaryMac().ifPresent(mac -> m.put("mac", mac.toString()));
        List<String> dns = new ArrayList<>();
        // an IPv6-only machine (no ip) gets no IPv4 address, gateway or DNS at all
        node.machine().ipv4().ifPresent(ip -> {
            // the machine's own segment (the descriptor checked that one holds its address)
            InstallSubnet segment = net.subnetOf(ip).orElse(net.home());
            m.put("address", ip + "/" + segment.cidr().prefix());
            segment.gateway().ifPresent(g -> m.put("gateway", g.toString()));
            segment.dns().forEach(d -> dns.add(d.toString()));
        });
        // dual-stack machines (machines[].ipv6) keep their IPv6 address too, with their link's prefix length and DNS
        node.cluster().ipv6().ifPresent(v6 -> {
            Optional<Ipv6> a = Optional.ofNullable(v6.addresses().get(node.name()));
            a.ifPresent(ip -> m.put("address6", ip + "/" + v6.segmentOf(ip).map(Ipv6Segment::length).orElse(v6.length())));
            a.flatMap(v6::segmentOf).map(Ipv6Segment::dns).orElse(v6.dns()).forEach(d -> dns.add(d.toString()));
        });
        m.put("dns", dns);
        if (net.domain() != null && !net.domain().isBlank()) {
            m.put("domain", ConfigInputs.host("network.domain", net.domain()));
        }
        return new HostConfig.NetworkUnit("00-yoo-install.network", templates.render("config/files/install-nic.network", m));
    }

    private static void time(ClusterDescriptor c, List<FileSpec> files) {
        if (c.ntp().isEmpty()) {
            return;
        }
        for (int i = 0; i < c.ntp().size(); i++) {
            ConfigInputs.host("ntp[" + i + "]", c.ntp().get(i));
        }
        files.add(new FileSpec("/etc/systemd/timesyncd.conf.d/10-yoo.conf", 0644,
                "# Written by Yoo Installer\n[Time]\nNTP=" + String.join(" ", c.ntp()) + "\n"));
    }

    private static void kernel(List<FileSpec> files) {
        files.add(new FileSpec("/etc/modules-load.d/yoo-kubernetes.conf", 0644, "overlay\nbr_netfilter\n"));
        files.add(new FileSpec("/etc/sysctl.d/50-yoo-kubernetes.conf", 0644,
                "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n"));
    }

    private void containerd(ClusterDescriptor c, List<FileSpec> files, List<UnitSpec> units) {
        Map<String, Object> config = new HashMap<>();
        KubernetesImages.sandboxImage(c.kubernetes().version()).ifPresent(p -> config.put("sandboxImage", p.name()));
        files.add(new FileSpec("/etc/containerd/config.toml", 0644, templates.render("config/files/containerd-config.toml", config)));
        c.registryMirror().ifPresent(mirror -> files.add(new FileSpec("/etc/containerd/certs.d/docker.io/hosts.toml", 0644,
                templates.render("config/files/registry-hosts.toml", Map.of(
                        "registry", "docker.io",
                        "upstream", "https://registry-1.docker.io",
                        "mirror", ConfigInputs.url("registryMirror", mirror))))));
        units.add(new UnitSpec("containerd.service", Optional.empty(), true, false, List.of(
                new UnitSpec.Dropin("10-yoo-config.conf", templates.render("config/units/containerd-config.conf", Map.of())))));
    }

    private void proxy(ClusterDescriptor c, List<UnitSpec> units) {
        if (c.proxy().isEmpty()) {
            return;
        }
        String proxy = ConfigInputs.url("proxy", c.proxy().get());
        Set<String> noProxy = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", ".svc", ".cluster.local"));
        c.network().subnets().forEach(s -> noProxy.add(s.cidr().toString()));
        noProxy.add(c.network().serverAddress().toString());
        noProxy.add(c.network().bootServer().toString());
        noProxy.add(c.kubernetes().podCidr().toString());
        noProxy.add(c.kubernetes().serviceCidr().toString());
        if (c.network().domain() != null && !c.network().domain().isBlank()) {
            noProxy.add("." + ConfigInputs.host("network.domain", c.network().domain()));
        }
        UnitSpec.Dropin dropin = new UnitSpec.Dropin("50-yoo-proxy.conf", templates.render("config/units/proxy.conf",
                Map.of("proxy", proxy, "noProxy", String.join(",", noProxy))));
        units.add(UnitSpec.dropinsOnly("update-engine.service", List.of(dropin)));
        // containerd's unit is already listed for its config drop-in; a second entry adds the proxy
        units.add(UnitSpec.dropinsOnly("containerd.service", List.of(dropin)));
    }

    private void kubelet(NodeContext node, List<FileSpec> files, List<UnitSpec> units) {
        Map<String, Object> m = new HashMap<>();
        m.put("node", node.name());
        m.put("cluster", node.cluster().name());
        m.put("action", node.isInitNode() ? "init" : "join");
        m.put("init", node.isInitNode());
        m.put("ip", node.address());
        m.put("endpoint", node.controlPlaneEndpointHostPort());
        m.put("callback", node.callbackUrl());
        m.put("joinTokenUrl", node.urls().joinToken(node.name(), node.token()));
        m.put("joinTokensUrl", node.urls().joinTokens(node.name(), node.token()));
        m.put("attempts", KUBEADM_ATTEMPTS);
        m.put("backoff", KUBEADM_BACKOFF_SECONDS);
        m.put("apiWaitSeconds", API_WAIT_SECONDS);
        m.put("maxLines", MAX_JOIN_TOKEN_LINES);
        m.put("podCidr", node.cluster().kubernetes().podCidr().toString());
        if (node.isInitNode()) {
            List<String> peers = runningClusterProbes(node);
            m.put("probeRunningCluster", !peers.isEmpty());
            m.put("peers", String.join(" ", peers));
            m.put("apiPort", NodeContext.API_SERVER_PORT);
            m.put("endpointSet", node.cluster().kubernetes().controlPlaneEndpoint().isPresent());
        }
        node.cluster().kubernetes().podCidr6().ifPresent(c -> m.put("podCidr6", c)); // flannel's dual-stack half
        m.put("flannelImage", KubernetesImages.FLANNEL.name());
        m.put("flannelCniImage", KubernetesImages.FLANNEL_CNI_PLUGIN.name());
        node.kubeVipAddress().ifPresent(vip -> {
            m.put("vip", vip.toString());
            m.put("initKubeconfig", KubeVip.initKubeconfig(node.kubernetesVersion()));
        });

        units.add(new UnitSpec("kubelet.service", Optional.of(templates.render("config/units/kubelet.service", m)), true, false,
                List.of(new UnitSpec.Dropin("10-kubeadm.conf", templates.render("config/units/kubelet-kubeadm.conf", m)))));
        files.add(new FileSpec("/opt/yoo/bin/preload-images", 0755, templates.render("config/files/preload-images.sh", m)));
        units.add(UnitSpec.of("yoo-preload-images.service", templates.render("config/units/yoo-preload-images.service", m), true));

        // holds the bootstrap token
        files.add(new FileSpec("/etc/kubernetes/yoo/kubeadm.yaml", 0600, kubeadm.render(node)));
        files.add(new FileSpec("/opt/yoo/bin/kubeadm-up", 0755, templates.render("config/files/kubeadm-up.sh", m)));
        units.add(UnitSpec.of("yoo-kubeadm.service", templates.render("config/units/yoo-kubeadm.service", m), true));
        if (node.kubeVipAddress().isPresent()) {
            files.add(new FileSpec("/etc/kubernetes/yoo/kube-vip.yaml", 0644, kubeVip.render(node)));
        }
        if (node.isControlPlane()) {
            files.add(new FileSpec("/opt/yoo/bin/join-tokens", 0755, templates.render("config/files/join-tokens.sh", m)));
            units.add(UnitSpec.of("yoo-join-tokens.service", templates.render("config/units/yoo-join-tokens.service", m), false));
            units.add(UnitSpec.of("yoo-join-tokens.timer", templates.render("config/units/yoo-join-tokens.timer", m), true));
        }
        if (node.isInitNode()) {
            cni(node, m, files, units);
        }
    }

    /**
     * Where the init node looks for a cluster that already runs before it runs {@code kubeadm init}:
     * the other control-plane machines. Why: a reprovisioned first control-plane machine of a
     * running cluster would otherwise make a second cluster next to it; an API server answering at
     * one of them means it must not. Not the endpoint: kube-vip on this very machine may hold the
     * VIP after an init that was cut short, and a lone control plane has no cluster left to find.
     */
    static List<String> runningClusterProbes(NodeContext node) {
        List<String> out = new ArrayList<>();
        for (var m : node.cluster().controlPlane()) {
            if (!m.name().equals(node.name())) {
                out.add(node.cluster().nodeHost(m)); // goes into https://HOST:port: brackets for IPv6
            }
        }
        return out;
    }

    /** The pod network, applied once by the init node; {@code none}: the operator brings one. */
    private void cni(NodeContext node, Map<String, Object> m, List<FileSpec> files, List<UnitSpec> units) {
        String cni = node.cluster().kubernetes().cni();
        switch (cni) {
            case "flannel" -> {
                // its own unit: a failed apply is retried even after kubeadm init has succeeded
                files.add(new FileSpec("/etc/kubernetes/yoo/kube-flannel.yml", 0644, templates.render("config/kubeadm/kube-flannel.yml", m)));
                files.add(new FileSpec("/opt/yoo/bin/apply-cni", 0755, templates.render("config/files/apply-cni.sh", m)));
                units.add(UnitSpec.of("yoo-cni.service", templates.render("config/units/yoo-cni.service", m), true));
            }
            case "none" -> { }
            default -> throw new IllegalArgumentException("kubernetes.cni: '" + cni + "' is not supported (flannel or none)");
        }
    }

    /** CA keys, the service-account keys: control-plane nodes only. Workers learn the CA by its hash. */
    private static void secrets(NodeContext node, List<FileSpec> files) {
        if (!node.isControlPlane()) {
            return;
        }
        ClusterSecrets s = node.secrets();
        ca(files, "/etc/kubernetes/pki/ca", s.kubernetesCa());
        ca(files, "/etc/kubernetes/pki/etcd/ca", s.etcdCa());
        ca(files, "/etc/kubernetes/pki/front-proxy-ca", s.frontProxyCa());
        files.add(new FileSpec("/etc/kubernetes/pki/sa.key", 0600, s.serviceAccountKeyPem()));
        files.add(new FileSpec("/etc/kubernetes/pki/sa.pub", 0644, s.serviceAccountPublicPem()));
    }

    private static void ca(List<FileSpec> files, String base, CertificateAuthority ca) {
        files.add(new FileSpec(base + ".crt", 0644, ca.certPem()));
        files.add(new FileSpec(base + ".key", 0600, ca.keyPem()));
    }
}
