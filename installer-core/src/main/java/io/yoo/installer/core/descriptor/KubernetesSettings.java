package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.Optional;

/**
 * The Kubernetes cluster the machines form.
 *
 * @param podCidr6 / serviceCidr6 the IPv6 halves of a dual-stack cluster ({@code podCidrV6}, {@code serviceCidrV6}):
 *                             both or neither; kubeadm gets {@code "v4,v6"} for each and every node both addresses
 * @param controlPlaneEndpoint where every node reaches the API server (port 6443): an IPv4 VIP in
 *                             the install subnet, which kube-vip holds on the control-plane nodes,
 *                             or a DNS name the operator points at a load balancer; empty = the
 *                             first control-plane node's address (no failover)
 */
public record KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni,
        Optional<String> controlPlaneEndpoint, Optional<String> podCidr6, Optional<String> serviceCidr6) {

    public KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni) {
        this(version, podCidr, serviceCidr, cni, Optional.empty());
    }

    /** IPv4 only. */
    public KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni, Optional<String> controlPlaneEndpoint) {
        this(version, podCidr, serviceCidr, cni, controlPlaneEndpoint, Optional.empty(), Optional.empty());
    }

    public boolean dualStack() {
        return podCidr6.isPresent() && serviceCidr6.isPresent();
    }

    /** kubeadm's {@code networking.podSubnet}: {@code "v4"} or {@code "v4,v6"}. */
    public String podSubnets() {
        return podCidr + podCidr6.map(c -> "," + c).orElse("");
    }

    /** kubeadm's {@code networking.serviceSubnet}: {@code "v4"} or {@code "v4,v6"}. */
    public String serviceSubnets() {
        return serviceCidr + serviceCidr6.map(c -> "," + c).orElse("");
    }

    /** The endpoint as a VIP, when it is an address (kube-vip then runs on the control plane). */
    public Optional<Ipv4> vip() {
        return controlPlaneEndpoint.filter(KubernetesSettings::isAddress).map(Ipv4::parse);
    }

    static boolean isAddress(String endpoint) {
        return endpoint.matches("[0-9.]+");
    }
}
