package io.yoo.installer.core.descriptor;

import io.yoo.installer.core.descriptor.DescriptorParser.Draft;
import io.yoo.installer.api.net.Ipv4;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubernetes.controlPlaneEndpoint}: a VIP must be a free host address of the install
 * subnet (kube-vip claims it by ARP, so a machine, the server, the gateway or a DHCP lease holding
 * it would make two hosts answer for one address); a DNS name is the operator's business. A
 * production cluster must have one: its point is to survive the loss of a control-plane node,
 * and without an endpoint every node talks to the first one.
 */
final class ControlPlaneEndpointCheck {
    static final String FIELD = "kubernetes.controlPlaneEndpoint";
    private final Problems problems;

    ControlPlaneEndpointCheck(Problems problems) {
        this.problems = problems;
    }

    void check(Optional<Architecture> arch, Optional<InstallNetwork> network, KubernetesSettings k, List<Draft> machines) {
        if (k.controlPlaneEndpoint().isEmpty()) {
            if (arch.orElse(null) == Architecture.PRODUCTION && problems.markOf(FIELD) == null) {
                problems.at("kubernetes", "a production cluster needs kubernetes.controlPlaneEndpoint: a free address in the"
                        + " install subnet (a VIP, held by kube-vip on the control-plane nodes) or a DNS name of your load"
                        + " balancer; without it every node reaches the API through the first control-plane node only");
            }
            return;
        }
        Optional<Ipv4> vip = k.vip();
        if (vip.isEmpty() || network.isEmpty()) {
            return;
        }
        Ipv4 ip = vip.get();
        InstallNetwork n = network.get();
        String is = "VIP " + ip + " ";
        Optional<InstallSubnet> segment = n.subnetOf(ip);
        if (segment.isEmpty() || !segment.get().cidr().isHostAddress(ip)) {
            problems.at(FIELD, is + "is not a host address in " + (n.subnets().size() == 1 ? "the install subnet " + n.subnet()
                    : "any install subnet " + n.subnets().stream().map(s -> s.cidr().toString()).toList())
                    + " (kube-vip announces it by ARP on the install NIC)");
            return;
        }
        if (ip.equals(n.serverAddress())) {
            problems.at(FIELD, is + "is this server's address (network.server): choose a free address");
        }
        String where = problems.markOf("network.subnets") == null ? "network."
                : "network.subnets[" + n.subnets().indexOf(segment.get()) + "].";
        segment.get().gateway().filter(ip::equals).ifPresent(g -> problems.at(FIELD, is + "is the gateway's address (" + where + "gateway)"));
        segment.get().relay().filter(ip::equals).ifPresent(g -> problems.at(FIELD, is + "is the relay agent's address (" + where + "relay)"));
        segment.get().pool().filter(p -> p.contains(ip)).ifPresent(p ->
                problems.at(FIELD, is + "is inside the DHCP pool " + p + ": a dynamic lease could hand it out"));
        for (Draft m : machines) {
            if (ip.equals(m.ip())) {
                problems.at(FIELD, is + "is the address of " + m.label() + ": a VIP must not belong to any machine");
            }
        }
    }
}
