package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Option;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Options;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import io.yoo.installer.dhcp.v6.server.Dhcp6Server;
import io.yoo.installer.dhcp.v6.server.Dhcp6Subnet;
import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.testsupport.Peers;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * DHCPv6 counts into the process's registry as DHCPv4 does ({@code yoo_requests_total} with
 * {@code protocol="dhcp6"}), and the exposition still passes {@code promtool check metrics}: a
 * real server on an ephemeral {@code [::1]} port, a SOLICIT it answers (advertise) and datagrams
 * it must drop (malformed), across a restart with the same registry.
 */
class Dhcp6MetricsExpositionTest {
    @Test
    void dhcp6CountsAdvertisesAndMalformedIntoTheSharedRegistryAcrossARestart() throws Exception {
        Peers.requireCommands("promtool");
        ProcessMetrics metrics = new ProcessMetrics();
        try (Dhcp6Server first = dhcp6(metrics)) {
            first.start();
            send(first.port(), Dhcp6Codec.encode(solicit()));
            send(first.port(), new byte[] {1, 2, 3}); // shorter than a header: malformed
            MetricsExpositionTest.awaitSample(metrics, "yoo_requests_total{outcome=\"advertise\",protocol=\"dhcp6\"}", 1);
            MetricsExpositionTest.awaitSample(metrics, "yoo_requests_total{outcome=\"malformed\",protocol=\"dhcp6\"}", 1);
            assertThat(first.stats().malformed.sum()).as("the server's own stats count too").isEqualTo(1);
        }
        try (Dhcp6Server second = dhcp6(metrics)) { // as yoo serve restarts a server on a reload
            second.start();
            byte[] solicit = Dhcp6Codec.encode(solicit());
            send(second.port(), Arrays.copyOf(solicit, solicit.length - 3)); // an option cut short
            MetricsExpositionTest.awaitSample(metrics, "yoo_requests_total{outcome=\"malformed\",protocol=\"dhcp6\"}", 2);
        }
        String text = metrics.scrape();
        assertThat(text).contains("# HELP yoo_requests_total ");
        MetricsExpositionTest.assertLintClean(text);
    }

    private static Dhcp6Server dhcp6(ProcessMetrics metrics) {
        Dhcp6Config cfg = Dhcp6Config.builder(Duid.ll(MacAddress.parse("02:00:00:00:06:99")))
                .subnet(Dhcp6Subnet.parse("fd00:b7::/64").withRange(Ipv6.parse("fd00:b7::100"), Ipv6.parse("fd00:b7::1ff")))
                .ports(0, 546).build();
        BootPolicy policy = req -> BootDecision.unknown(new BootTarget.None("test"));
        return new Dhcp6Server(cfg, policy).withMetrics(metrics);
    }

    private static Dhcp6Message solicit() {
        Dhcp6Options o = Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, Duid.ll(MacAddress.parse("52:54:00:00:06:01")).toBytes())
                .iaNa(new IaNa(1, 0, 0, List.of(), Optional.empty())).build();
        return new Dhcp6Message.Client(Dhcp6MessageType.SOLICIT, 0x123456, o);
    }

    private static void send(int port, byte[] data) throws Exception {
        InetAddress lo = InetAddress.getByName("::1");
        try (DatagramSocket s = new DatagramSocket(0, lo)) {
            s.send(new DatagramPacket(data, data.length, lo, port));
        }
    }
}
