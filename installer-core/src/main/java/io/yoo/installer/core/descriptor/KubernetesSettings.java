package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.Optional;

/**
 * The Kubernetes cluster the machines form.
 *
 * @param controlPlaneEndpoint where every node reaches the API server (port 6443): an IPv4 VIP in
 *                             the install subnet, which kube-vip holds on the control-plane nodes,
 *                             or a DNS name the operator points at a load balancer; empty = the
 *                             first control-plane node's address (no failover)
 */
public record KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni,
        Optional<String> controlPlaneEndpoint) {

    public KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni) {
        this(version, podCidr, serviceCidr, cni, Optional.empty());
    }

    /** The endpoint as a VIP, when it is an address (kube-vip then runs on the control plane). */
    public Optional<Ipv4> vip() {
        return controlPlaneEndpoint.filter(KubernetesSettings::isAddress).map(Ipv4::parse);
    }

    static boolean isAddress(String endpoint) {
        return endpoint.matches("[0-9.]+");
    }
}
