package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RelayRoutes} reading {@code /proc/net/route} lines (the live file is read in RelayedSegmentTest). */
class RelayRoutesTest {
    static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    static final InstallNetwork NET = new InstallNetwork("eth1", Ipv4.parse("10.83.0.1"), "internal", DhcpMode.FULL, List.of(
            new InstallSubnet(Ipv4Cidr.parse("10.83.0.0/24"), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), 3600),
            new InstallSubnet(Ipv4Cidr.parse("10.83.1.0/24"), Optional.of(Ipv4.parse("10.83.1.1")), List.of(), Optional.empty(),
                    Optional.of(Ipv4.parse("10.83.1.1")), 3600)));

    /** A route line as the kernel prints it: the in-memory int of each network-order address. */
    static String route(String dest, String gateway, String mask, int flags) {
        return "eth1\t" + hex(dest) + "\t" + hex(gateway) + "\t" + String.format("%04X", flags) + "\t0\t0\t0\t" + hex(mask) + "\t0\t0\t0";
    }

    static String hex(String ip) {
        int v = Ipv4.parse(ip).value();
        return String.format("%08X", ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(v) : v);
    }

    @Test
    void only_the_link_route_of_the_servers_segment_leaves_the_relay_unreachable() {
        List<String> problems = RelayRoutes.problems(NET, List.of(HEADER, route("10.83.0.0", "0.0.0.0", "255.255.255.0", 1)));
        assertThat(problems).singleElement().asString().startsWith(
                "network.subnets[1].relay: this host has no route to the relay agent 10.83.1.1 of 10.83.1.0/24");
    }

    @Test
    void a_route_to_the_segment_or_a_default_route_reaches_it_a_route_that_is_down_does_not() {
        assertThat(RelayRoutes.problems(NET, List.of(HEADER, route("10.83.1.0", "10.83.0.2", "255.255.255.0", 3)))).isEmpty();
        assertThat(RelayRoutes.problems(NET, List.of(HEADER, route("0.0.0.0", "10.83.0.254", "0.0.0.0", 3)))).isEmpty();
        assertThat(RelayRoutes.problems(NET, List.of(HEADER, route("10.83.1.0", "10.83.0.2", "255.255.255.0", 2)))).hasSize(1);
        assertThat(RelayRoutes.problems(NET, List.of(HEADER, route("10.83.2.0", "10.83.0.2", "255.255.255.0", 3)))).hasSize(1);
    }
}
