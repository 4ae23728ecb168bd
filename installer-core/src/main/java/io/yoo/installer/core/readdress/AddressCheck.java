package io.yoo.installer.core.readdress;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.state.LeaseRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a machine may move to a new address ({@code yoo change-ip}): the address must be a host
 * address of the segment the machine is on now (moving segments is re-cabling, not an address
 * change), outside that segment's dynamic pool, and nobody else's: not another machine's, not the
 * server's, a gateway's, a DNS server's or a relay agent's, and not held by a current DHCP lease
 * of another client. Each refusal is one sentence naming what collides.
 */
public final class AddressCheck {
    private AddressCheck() {}

    /** The reasons {@code ip} cannot be {@code machine}'s new address; empty when it can. */
    public static List<String> problems(ClusterDescriptor d, Machine machine, Ipv4 ip, List<LeaseRecord> leases, long nowEpochSeconds) {
        List<String> out = new ArrayList<>();
        InstallNetwork n = d.network();
        if (ip.equals(machine.ip())) {
            out.add(machine.name() + " already has " + ip);
            return out;
        }
        Optional<InstallSubnet> segment = n.subnetOf(machine.ip());
        if (segment.isEmpty() || !segment.get().cidr().contains(ip)) {
            out.add(ip + " is outside " + machine.name() + "'s segment "
                    + segment.map(s -> s.cidr().toString()).orElse("(none holds " + machine.ip() + ")"));
            return out;
        }
        InstallSubnet s = segment.get();
        if (!s.cidr().isHostAddress(ip)) {
            out.add(ip + " is the network or broadcast address of " + s.cidr());
        }
        s.pool().filter(p -> p.contains(ip)).ifPresent(p -> out.add(ip + " is in the dynamic pool " + p + " of " + s.cidr()));
        if (ip.equals(n.serverAddress())) {
            out.add(ip + " is the server's address");
        }
        if (n.serviceAddress().filter(ip::equals).isPresent()) {
            out.add(ip + " is the servers' service address (network.serviceAddress)");
        }
        for (InstallSubnet other : n.subnets()) {
            other.gateway().filter(ip::equals).ifPresent(g -> out.add(ip + " is the gateway of " + other.cidr()));
            other.relay().filter(ip::equals).ifPresent(g -> out.add(ip + " is the relay agent of " + other.cidr()));
            if (other.dns().contains(ip)) {
                out.add(ip + " is a DNS server of " + other.cidr());
            }
        }
        d.machines().stream().filter(m -> m.ipv4().map(ip::equals).orElse(false)).findFirst()
                .ifPresent(m -> out.add(ip + " is " + m.name() + "'s address"));
        String text = ip.toString();
        for (LeaseRecord l : leases) {
            if (l.ip().equals(text) && l.expires() > nowEpochSeconds && !ownMac(machine, l.mac())) {
                out.add(ip + " is " + l.state() + " by DHCP to " + l.mac() + " until epoch " + l.expires());
            }
        }
        return out;
    }

    private static boolean ownMac(Machine m, String mac) {
        String hex = mac.replace(":", "").toLowerCase(Locale.ROOT); // the lease mirror keeps bare hex
        return m.macs().stream().anyMatch(x -> x.toHex().equalsIgnoreCase(hex));
    }
}
