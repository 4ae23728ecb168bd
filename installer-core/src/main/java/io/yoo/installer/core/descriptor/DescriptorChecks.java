package io.yoo.installer.core.descriptor;

import io.yoo.installer.core.descriptor.DescriptorParser.Draft;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rules that span fields: addresses against the subnet, duplicates between machines, the
 * dynamic pool against reservations, the control-plane count each architecture needs. Runs on
 * whatever parsed cleanly, so one bad value does not hide the other mistakes.
 */
final class DescriptorChecks {
    private final Problems problems;

    DescriptorChecks(Problems problems) {
        this.problems = problems;
    }

    void check(Optional<Architecture> arch, Optional<InstallNetwork> network, Optional<OsSettings> os,
            Optional<KubernetesSettings> kubernetes, List<Draft> machines) {
        network.ifPresent(this::network);
        network.ifPresent(n -> kubernetes.ifPresent(k -> cidrs(n, k)));
        machines.forEach(this::identity);
        network.ifPresent(n -> machines.forEach(m -> address(n, m)));
        network.ifPresent(n -> pool(n, machines));
        duplicates(machines, "name", Draft::name, "name", "hostname");
        duplicates(machines, "ip", d -> d.ip() == null ? null : d.ip().toString(), "ip", "address");
        duplicates(machines, "uuid", d -> d.uuid() == null ? null : d.uuid().toString(), "uuid", "SMBIOS UUID");
        macDuplicates(machines);
        arch.ifPresent(a -> roles(a, machines));
        kubernetes.ifPresent(k -> new ControlPlaneEndpointCheck(problems).check(arch, network, k, machines));
    }

    /** Where a segment's key was written: {@code network.subnets[i].key}, or {@code network.key} in the one-subnet form. */
    private String field(int i, String key) {
        if (problems.markOf("network.subnets") != null) {
            return "network.subnets[" + i + "]" + (key.isEmpty() ? "" : "." + key);
        }
        return "network" + (key.isEmpty() ? "" : "." + (key.equals("cidr") ? "subnet" : key));
    }

    /** A segment as the user knows it: its field and network. */
    private String name(InstallNetwork n, int i) {
        return n.subnets().size() == 1 ? "install subnet " + n.subnets().get(i).cidr()
                : "subnet " + n.subnets().get(i).cidr() + " (" + field(i, "") + ")";
    }

    private void network(InstallNetwork n) {
        List<InstallSubnet> subnets = n.subnets();
        overlaps(n);
        Ipv4 server = n.serverAddress();
        Optional<InstallSubnet> home = n.subnetOf(server);
        if (home.isEmpty() && subnets.size() == 1) {
            problems.at("network.server", "server address " + server + " is not a host address in subnet " + subnets.getFirst().cidr());
        } else if (home.isPresent() && !home.get().cidr().isHostAddress(server)) {
            problems.at("network.server", "server address " + server + " is not a host address in subnet " + home.get().cidr());
        }
        for (int i = 0; i < subnets.size(); i++) {
            segment(n, i, home.orElse(null));
        }
    }

    /** Two segments sharing addresses: DHCP could not tell which one a request belongs to. */
    private void overlaps(InstallNetwork n) {
        List<InstallSubnet> subnets = n.subnets();
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (subnets.get(i).cidr().overlaps(subnets.get(j).cidr())) {
                    problems.at(field(i, "cidr"), "subnet " + subnets.get(i).cidr() + " overlaps " + name(n, j)
                            + ": each address must belong to one segment, or DHCP cannot tell which segment a request is from");
                }
            }
        }
    }

    private void segment(InstallNetwork n, int i, InstallSubnet home) {
        InstallSubnet s = n.subnets().get(i);
        Ipv4Cidr subnet = s.cidr();
        Ipv4 server = n.serverAddress();
        s.gateway().ifPresent(g -> {
            if (!subnet.isHostAddress(g)) {
                problems.at(field(i, "gateway"), "gateway " + g + " is not a host address in subnet " + subnet);
            } else if (g.equals(server)) {
                problems.at(field(i, "gateway"), "gateway " + g + " is this server's own address (network.server);"
                        + " leave gateway out if the install network has no router");
            }
        });
        s.relay().ifPresent(r -> {
            if (!subnet.isHostAddress(r)) {
                problems.at(field(i, "relay"), "relay " + r + " is not a host address in subnet " + subnet
                        + ": it is the relay agent's address on this segment (the giaddr it puts in what it forwards)");
            } else if (r.equals(server)) {
                problems.at(field(i, "relay"), "relay " + r + " is this server's own address (network.server): a segment"
                        + " the server is on needs no relay; leave relay out");
            }
        });
        // the one-subnet form's server must be on it (checked above): only listed segments may be remote
        boolean local = s == home || problems.markOf("network.subnets") == null;
        // with dhcp: off another server answers DHCP there: only the way back to us (gateway) matters
        if (!local && s.relay().isEmpty() && n.dhcpMode() != DhcpMode.OFF) {
            problems.at(field(i, ""), "unreachable: the server (" + server + ") is not on " + subnet + ", and DHCP"
                    + " broadcasts do not cross a router, so no machine there would ever reach it; set relay to the"
                    + " address of the DHCP relay agent on that segment (e.g. dhcrelay on its router)"
                    + (n.subnets().size() == 1 ? ", or fix network.server" : ""));
        }
        if (!local && s.gateway().isEmpty()) {
            problems.at(field(i, ""), "unreachable: machines on " + subnet + " have no gateway, so they cannot reach the"
                    + " server at " + server + " (not on their segment) for TFTP and HTTP; set gateway to the segment's router");
        }
        s.pool().ifPresent(p -> {
            String f = field(i, "pool");
            if (n.dhcpMode() != DhcpMode.FULL) {
                problems.at(f, "a pool is only used with dhcp: full (here dhcp: " + n.dhcpMode().key()
                        + "); remove it or switch to full");
            }
            if (!subnet.isHostAddress(p.start()) || !subnet.isHostAddress(p.end())) {
                problems.at(f, "pool " + p + " is not inside subnet " + subnet + " (" + subnet.describeHosts() + ")");
            }
            if (p.contains(server)) {
                problems.at(f, "pool " + p + " contains this server's address " + server);
            }
            s.gateway().filter(p::contains).ifPresent(g -> problems.at(f, "pool " + p + " contains the gateway " + g));
            s.relay().filter(p::contains).ifPresent(r -> problems.at(f, "pool " + p + " contains the relay agent's address " + r));
        });
    }

    private void cidrs(InstallNetwork n, KubernetesSettings k) {
        if (k.podCidr().overlaps(k.serviceCidr())) {
            problems.at("kubernetes.serviceCidr", "service CIDR " + k.serviceCidr() + " overlaps the pod CIDR " + k.podCidr());
        }
        for (int i = 0; i < n.subnets().size(); i++) {
            Ipv4Cidr subnet = n.subnets().get(i).cidr();
            if (k.podCidr().overlaps(subnet)) {
                problems.at("kubernetes.podCidr", "pod CIDR " + k.podCidr() + " overlaps the " + name(n, i));
            }
            if (k.serviceCidr().overlaps(subnet)) {
                problems.at("kubernetes.serviceCidr", "service CIDR " + k.serviceCidr() + " overlaps the " + name(n, i));
            }
        }
    }

    private void identity(Draft m) {
        if (m.macs().isEmpty() && m.uuid() == null && problems.markOf(m.field() + ".mac") == null
                && problems.markOf(m.field() + ".macs") == null && problems.markOf(m.field() + ".uuid") == null) {
            problems.at(m.node(), m.field(), "machine" + (m.name() == null ? "" : " '" + m.name() + "'")
                    + " has neither mac nor uuid: give at least one so it can be recognised when it boots");
        }
    }

    /** A machine's address against the segment it falls in (its prefix, gateway and DNS come from there). */
    private void address(InstallNetwork n, Draft m) {
        Ipv4 ip = m.ip();
        if (ip == null) {
            return;
        }
        String f = m.field() + ".ip";
        Optional<InstallSubnet> s = n.subnetOf(ip);
        if (s.isEmpty()) {
            problems.at(f, ip + " is outside the install " + (n.subnets().size() == 1 ? "subnet " + n.subnet()
                    : "subnets " + n.subnets().stream().map(x -> x.cidr().toString()).toList()));
            return;
        }
        int i = n.subnets().indexOf(s.get());
        Ipv4Cidr subnet = s.get().cidr();
        if (!subnet.isHostAddress(ip)) {
            String which = ip.equals(subnet.network()) ? "network" : "broadcast";
            problems.at(f, ip + " is the " + which + " address of the " + name(n, i) + ", not a host address");
        } else if (ip.equals(n.serverAddress())) {
            problems.at(f, ip + " is this server's address (network.server)");
        } else if (s.get().gateway().map(ip::equals).orElse(false)) {
            problems.at(f, ip + " is the gateway's address (" + field(i, "gateway") + ")");
        } else if (s.get().relay().map(ip::equals).orElse(false)) {
            problems.at(f, ip + " is the relay agent's address (" + field(i, "relay") + ")");
        }
    }

    private void pool(InstallNetwork n, List<Draft> machines) {
        for (int i = 0; i < n.subnets().size(); i++) {
            String f = field(i, "pool");
            n.subnets().get(i).pool().ifPresent(p -> {
                for (Draft m : machines) {
                    if (m.ip() != null && p.contains(m.ip())) {
                        problems.at(f, "pool " + p + " overlaps the reservation of " + m.label() + " at " + m.ip()
                                + ": move the pool or the machine");
                    }
                }
            });
        }
    }

    private void duplicates(List<Draft> machines, String key, Function<Draft, String> value, String field, String what) {
        Map<String, Draft> seen = new HashMap<>();
        for (Draft m : machines) {
            String v = value.apply(m);
            if (v == null) {
                continue;
            }
            Draft first = seen.putIfAbsent(v, m);
            if (first != null) {
                problems.at(m.field() + "." + field, "duplicate " + what + " " + v + ": already used by " + first.label());
            }
        }
    }

    private void macDuplicates(List<Draft> machines) {
        Map<String, Draft> seen = new HashMap<>();
        for (Draft m : machines) {
            for (int i = 0; i < m.macs().size(); i++) {
                String mac = m.macs().get(i).toString();
                Draft first = seen.putIfAbsent(mac, m);
                if (first != null) {
                    String where = first == m ? "listed twice for this machine" : "already used by " + first.label();
                    problems.at(macField(m, i), "duplicate MAC " + mac + ": " + where);
                }
            }
        }
    }

    /** Field path of a machine's i-th MAC, across the mac and macs keys. */
    private String macField(Draft m, int i) {
        String base = m.field();
        int n = 0;
        for (String key : List.of("mac", "macs")) {
            String f = base + "." + key;
            if (problems.markOf(f) == null) {
                continue;
            }
            if (problems.markOf(f + "[0]") == null) { // a single value
                if (n == i) {
                    return f;
                }
                n++;
                continue;
            }
            for (int j = 0; problems.markOf(f + "[" + j + "]") != null; j++, n++) {
                if (n == i) {
                    return f + "[" + j + "]";
                }
            }
        }
        return base + ".mac";
    }

    private void roles(Architecture arch, List<Draft> machines) {
        if (arch == Architecture.DEV) {
            for (Draft m : machines) {
                if (m.role() == Role.WORKER) {
                    problems.at(m.field() + ".role", "role worker is not valid in a dev cluster: its one machine is"
                            + " the control plane and runs workloads too; use devtest for separate workers");
                }
            }
            if (machines.size() != 1) {
                problems.at("machines", "a dev cluster has exactly 1 machine, found " + machines.size()
                        + "; use small (3-9 control-plane machines) or devtest (1 control plane + workers)");
            }
            return;
        }
        if (machines.stream().anyMatch(m -> m.role() == null)) {
            return; // a role could not be read: the count would be misleading
        }
        List<String> cp = machines.stream().filter(m -> m.role() == Role.CONTROL_PLANE)
                .map(m -> m.name() == null ? m.field() : m.name()).toList();
        int count = cp.size();
        String found = "found " + count + (cp.isEmpty() ? "" : " (" + String.join(", ", cp) + ")");
        switch (arch) {
            case SMALL -> {
                if (count < 3 || count > 9 || count % 2 == 0) {
                    problems.at("machines", "a small cluster needs an odd number of control-plane machines"
                            + " between 3 and 9 (etcd quorum), " + found);
                }
            }
            case DEVTEST -> {
                if (count != 1) {
                    problems.at("machines", "a devtest cluster has exactly 1 control-plane machine, " + found
                            + (count == 0 ? "; mark one with role: control-plane" : ""));
                }
            }
            case PRODUCTION -> {
                if (count != 3 && count != 5) {
                    problems.at("machines", "a production cluster has 3 or 5 control-plane (central) machines, " + found);
                }
            }
            default -> { }
        }
    }
}
