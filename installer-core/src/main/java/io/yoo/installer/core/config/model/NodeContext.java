package io.yoo.installer.core.config.model;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import java.util.List;
import java.util.Optional;

/**
 * One machine seen from its cluster: the derived facts every renderer needs (its role in
 * kubeadm, its URLs, its effective dialect and disk), computed once and checked by
 * {@link ConfigInputs}.
 */
public record NodeContext(ClusterDescriptor cluster, Machine machine, BootUrls urls, String token, ClusterSecrets secrets) {

    public static final int API_SERVER_PORT = 6443;

    public NodeContext {
        ConfigInputs.hostname("machines." + machine.name() + ".name", machine.name());
        ConfigInputs.name("name", cluster.name());
        // the base URL ends up inside single-quoted shell words and unit files
        ConfigInputs.url("server URL", urls.base());
        if (!token.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("machine token for " + machine.name() + " is not URL-safe");
        }
    }

    public String name() {
        return machine.name();
    }

    public boolean isControlPlane() {
        return machine.role() == Role.CONTROL_PLANE;
    }

    /** The node that runs {@code kubeadm init}; every other node joins. */
    public boolean isInitNode() {
        return machine.name().equals(cluster.firstControlPlane().name());
    }

    /** {@code dev}: one node that runs workloads too, so the control-plane taint is left off. */
    public boolean untainted() {
        return cluster.architecture() == Architecture.DEV;
    }

    /**
     * Where every node reaches the API server: {@code kubernetes.controlPlaneEndpoint} (a VIP
     * held by kube-vip, or the operator's DNS name), else the first control-plane node's address
     * (which does not survive that node's loss; in brackets when the nodes are on IPv6).
     */
    public String controlPlaneEndpoint() {
        return cluster.kubernetes().controlPlaneEndpoint()
                .map(e -> ConfigInputs.host("kubernetes.controlPlaneEndpoint", e))
                .orElse(cluster.nodeHost(cluster.firstControlPlane()));
    }

    /** The node's address in its cluster (kubeadm's advertise address, kubelet's node-ip): IPv6 when the nodes are on IPv6. */
    public String address() {
        return cluster.nodeAddress(machine);
    }

    public String controlPlaneEndpointHostPort() {
        return controlPlaneEndpoint() + ":" + API_SERVER_PORT;
    }

    /** The VIP kube-vip holds, on control-plane nodes of a cluster whose endpoint is an address. */
    public Optional<Ipv4> kubeVipAddress() {
        return isControlPlane() ? cluster.kubernetes().vip() : Optional.empty();
    }

    public ConfigDialect dialect() {
        return machine.overrides().dialect().orElse(cluster.os().dialect());
    }

    public String installDisk() {
        return ConfigInputs.disk("machines." + name() + ".installDisk",
                machine.overrides().installDisk().orElse(cluster.os().installDisk()));
    }

    public boolean autologin() {
        return machine.overrides().autologin().orElse(cluster.os().autologin());
    }

    public List<String> sshKeys() {
        for (int i = 0; i < cluster.sshKeys().size(); i++) {
            ConfigInputs.sshKey("sshKeys[" + i + "]", cluster.sshKeys().get(i));
        }
        return cluster.sshKeys();
    }

    /** The Kubernetes version without a leading {@code v}, checked. */
    public String kubernetesVersion() {
        String v = cluster.kubernetes().version();
        return ConfigInputs.version("kubernetes.version", v.startsWith("v") ? v.substring(1) : v);
    }

    public String osVersion() {
        return ConfigInputs.version("os.version", cluster.os().version());
    }

    public String osChannel() {
        return ConfigInputs.channel("os.channel", cluster.os().channel());
    }

    public String callbackUrl() {
        return urls.callback(name(), token);
    }
}
