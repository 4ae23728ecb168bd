package io.yoo.installer.cli;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Can this host answer a relayed segment? Replies to a relay agent go to its address (giaddr)
 * by unicast, so the kernel needs a route to it: a segment whose relay no route reaches would
 * hear every request and never be answered. Read from {@code /proc/net/route} (main table).
 */
final class RelayRoutes {
    static final Path PROC = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    /** The file has a line per route; a host with more is not one we can judge. */
    private static final long MAX_BYTES = 4 << 20;

    private RelayRoutes() {}

    /** Problems with the routes of this host (empty when it cannot read them: nothing to say). */
    static List<String> problems(InstallNetwork net) {
        try {
            if (!Files.isReadable(PROC) || Files.size(PROC) > MAX_BYTES) {
                return List.of();
            }
            return problems(net, Files.readAllLines(PROC));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** @param procNetRoute the lines of {@code /proc/net/route}, header included */
    static List<String> problems(InstallNetwork net, List<String> procNetRoute) {
        List<String> out = new ArrayList<>();
        if (net.dhcpMode() == DhcpMode.OFF) {
            return out; // no DHCP answers to send
        }
        for (int i = 0; i < net.subnets().size(); i++) {
            InstallSubnet s = net.subnets().get(i);
            if (s.relay().isPresent() && !routed(s.relay().get(), procNetRoute)) {
                Ipv4 relay = s.relay().get();
                out.add("network.subnets[" + i + "].relay: this host has no route to the relay agent " + relay + " of " + s.cidr()
                        + ", so DHCP answers for that segment cannot leave it (the pool is unreachable); add one, e.g."
                        + " `ip route add " + s.cidr() + " via ROUTER`, where ROUTER is that segment's router on "
                        + (net.iface() == null ? "the install network" : net.iface()));
            }
        }
        return out;
    }

    private static boolean routed(Ipv4 address, List<String> lines) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].matches("[0-9A-Fa-f]{8}") || !f[7].matches("[0-9A-Fa-f]{8}") || !f[3].matches("[0-9A-Fa-f]{1,4}")) {
                continue; // the header, or a line we do not understand
            }
            int dest = hostOrder(f[1]);
            int mask = hostOrder(f[7]);
            if ((Integer.parseInt(f[3], 16) & RTF_UP) != 0 && (address.value() & mask) == dest) {
                return true;
            }
        }
        return false;
    }

    /** The kernel prints each address as the hex of its in-memory (network order) int: byte-swapped on little-endian hosts. */
    private static int hostOrder(String hex) {
        int v = Integer.parseUnsignedInt(hex, 16);
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(v) : v;
    }
}
