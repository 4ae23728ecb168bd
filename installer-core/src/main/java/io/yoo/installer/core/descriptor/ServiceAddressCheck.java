package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.DescriptorParser.Draft;
import java.util.List;
import java.util.Optional;

/**
 * {@code network.serviceAddress}: the address that moves between the servers of one PostgreSQL.
 * The server holding it adds it to {@code network.interface} and announces it by ARP, so it must
 * be a host address of that server's own segment that nothing else has: not a server's own
 * address, not the gateway, a relay or a DNS server, not in a DHCP pool (a lease could hand it
 * out), not a machine's, not the Kubernetes VIP (kube-vip announces that one). PostgreSQL decides
 * who holds it, so it needs {@code server.database}.
 */
final class ServiceAddressCheck {
    static final String FIELD = "network.serviceAddress";
    private final Problems problems;

    ServiceAddressCheck(Problems problems) {
        this.problems = problems;
    }

    void check(InstallNetwork n, ServerSettings server, Optional<KubernetesSettings> kubernetes, List<Draft> machines) {
        if (n.serviceAddress().isEmpty()) {
            return;
        }
        Ipv4 ip = n.serviceAddress().get();
        String is = "service address " + ip + " ";
        if (server.databaseUrl().filter(u -> u.startsWith("jdbc:postgresql:")).isEmpty()) {
            problems.at(FIELD, is + "needs server.database (PostgreSQL): the servers sharing it decide there which one holds"
                    + " the address; one server alone does not need it, use network.server");
        }
        Optional<InstallSubnet> home = n.subnetOf(n.serverAddress());
        if (home.isEmpty() || !home.get().cidr().isHostAddress(ip)) {
            problems.at(FIELD, is + "is not a host address in the server's own segment" + home.map(h -> " " + h.cidr()).orElse("")
                    + " (network.server's): the server holding it adds it to network.interface and announces it by ARP there");
            return;
        }
        InstallSubnet s = home.get();
        String where = problems.markOf("network.subnets") == null ? "network." : "network.subnets[" + n.subnets().indexOf(s) + "].";
        if (ip.equals(n.serverAddress())) {
            problems.at(FIELD, is + "is this server's own address (network.server): it moves between the servers, so it must be"
                    + " an address no server has of its own");
        }
        s.gateway().filter(ip::equals).ifPresent(g -> problems.at(FIELD, is + "is the gateway's address (" + where + "gateway)"));
        s.relay().filter(ip::equals).ifPresent(r -> problems.at(FIELD, is + "is the relay agent's address (" + where + "relay)"));
        if (s.dns().contains(ip)) {
            problems.at(FIELD, is + "is a DNS server's address (" + where + "dns)");
        }
        s.pool().filter(p -> p.contains(ip)).ifPresent(p ->
                problems.at(FIELD, is + "is inside the DHCP pool " + p + ": a dynamic lease could hand it out"));
        kubernetes.flatMap(KubernetesSettings::vip).filter(ip::equals).ifPresent(v ->
                problems.at(FIELD, is + "is the Kubernetes API VIP (kubernetes.controlPlaneEndpoint), which kube-vip announces"));
        for (Draft m : machines) {
            if (ip.equals(m.ip())) {
                problems.at(FIELD, is + "is the address of " + m.label() + ": it must belong to no machine");
            }
        }
    }
}
