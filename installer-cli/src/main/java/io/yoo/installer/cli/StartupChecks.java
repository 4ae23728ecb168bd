package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The usual mistakes, caught before any socket is opened and said in words an operator can act
 * on: the install interface does not exist, the server address is on no interface, no route
 * leads to a relayed segment's relay agent, {@code network.ipv6.server} is on no interface.
 */
final class StartupChecks {
    private StartupChecks() {}

    /** Problems found; empty when the host fits the descriptor. */
    static List<String> check(ClusterDescriptor d) {
        List<String> problems = new ArrayList<>();
        String iface = d.network().iface();
        Ipv4 server = d.network().serverAddress();
        try {
            List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
            if (iface != null && !iface.isBlank() && NetworkInterface.getByName(iface) == null) {
                problems.add("network.interface: there is no interface '" + iface + "' on this host (have: "
                        + String.join(", ", all.stream().map(NetworkInterface::getName).sorted().toList())
                        + "); fix the descriptor or plug the install network into this host");
            }
            boolean found = false;
            List<String> addresses = new ArrayList<>();
            for (NetworkInterface ni : all) {
                for (var a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address v4) {
                        addresses.add(ni.getName() + "=" + v4.getHostAddress());
                        if (Ipv4.of(v4).equals(server)) {
                            found = true;
                        }
                    }
                }
            }
            d.ipv6().filter(v6 -> !hasIpv6(all, v6.server())).ifPresent(v6 -> problems.add("network.ipv6.server: " + v6.server()
                    + " is not an address of this host; DHCPv6 would send machines to it. Add it, e.g. `ip -6 addr add " + v6.server() + "/"
                    + v6.length() + " dev " + (iface == null ? "IFACE" : iface) + " nodad`, or fix the descriptor"));
            if (!found) {
                problems.add("network.server: " + server + " is not an address of this host (have: " + String.join(", ", addresses)
                        + "); machines would be sent to an address nobody answers. Add it, e.g. `ip addr add " + server + "/"
                        + d.network().subnet().prefix() + " dev " + (iface == null ? "IFACE" : iface) + "`, or fix the descriptor");
            }
        } catch (SocketException e) {
            problems.add("cannot list network interfaces: " + e.getMessage());
        }
        problems.addAll(RelayRoutes.problems(d.network()));
        return problems;
    }

    private static boolean hasIpv6(List<NetworkInterface> all, Ipv6 server) {
        for (NetworkInterface ni : all) {
            for (var a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet6Address v6 && Ipv6.of(v6).equals(server)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code address} is on one of this host's interfaces. */
    static boolean isLocal(Ipv4 address) {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (var a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address v4 && Ipv4.of(v4).equals(address)) {
                        return true;
                    }
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }

    /** What to say when binding a privileged port failed. */
    static String privilegedPortHint(String what, int port) {
        return what + " needs UDP port " + port + ", which only root or a process with CAP_NET_BIND_SERVICE may bind: run as root, or "
                + "`sudo setcap cap_net_bind_service=+ep $(readlink -f $(command -v java))`, or disable it ("
                + (port == 67 ? "network.dhcp: off / --no-dhcp" : "--no-tftp") + ")";
    }
}
