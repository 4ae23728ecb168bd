package io.yoo.installer.dhcp.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 side of {@link NativeUdpSocket} against the JDK's own UDP socket on {@code [::1]}: a
 * batch of datagrams comes in with its sender, its arrival interface and local address
 * (IPV6_PKTINFO), and the replies sent with one {@code sendmmsg} arrive where they were addressed.
 */
class NativeUdpSocketIpv6Test {
    @Test
    void receivesABatchWithSenderAndArrivalInterfaceAndSendsRepliesBack() throws Exception {
        InetAddress lo = InetAddress.getByName("::1");
        int loIndex = NetworkInterface.getByInetAddress(lo).getIndex();
        NativeUdpSocket s = NativeUdpSocket.ipv6(0, null, 8, 2048, 1 << 20);
        try (DatagramSocket peer = new DatagramSocket(0, lo)) {
            peer.setSoTimeout(5000);
            for (int i = 0; i < 3; i++) {
                byte[] b = ("ping" + i).getBytes(StandardCharsets.US_ASCII);
                peer.send(new DatagramPacket(b, b.length, lo, s.port()));
            }
            Datagram[] rx = new Datagram[8];
            for (int i = 0; i < rx.length; i++) {
                rx[i] = new Datagram(2048);
            }
            int got = 0;
            long end = System.nanoTime() + 5_000_000_000L;
            Datagram[] all = new Datagram[3];
            while (got < 3 && System.nanoTime() < end) {
                int n = s.receive(rx);
                for (int i = 0; i < n; i++) {
                    all[got] = rx[i];
                    rx[i] = new Datagram(2048);
                    got++;
                }
            }
            assertThat(got).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                Datagram d = all[i];
                assertThat(new String(d.data, 0, d.length, StandardCharsets.US_ASCII)).isEqualTo("ping" + i);
                assertThat(d.truncated).isFalse();
                assertThat(Inet6Address.getByAddress(d.peer6)).isEqualTo(lo);
                assertThat(d.peerPort).isEqualTo(peer.getLocalPort());
                assertThat(d.ifIndex).as("IPV6_PKTINFO: arrived on lo").isEqualTo(loIndex);
                assertThat(Inet6Address.getByAddress(d.local6)).as("IPV6_PKTINFO: sent to ::1").isEqualTo(lo);
                byte[] pong = ("pong" + i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(pong, 0, d.data, 0, pong.length);
                d.length = pong.length;
                d.ifIndex = loIndex; // leave by lo, from ::1 (IPV6_PKTINFO on send)
            }
            assertThat(s.send(all, 3)).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                peer.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("pong" + i);
                assertThat(p.getPort()).isEqualTo(s.port());
            }
        } finally {
            s.close();
            s.release();
        }
    }

    @Test
    void aDatagramLongerThanItsSlotIsFlaggedTruncated() throws Exception {
        InetAddress lo = InetAddress.getByName("::1");
        NativeUdpSocket s = NativeUdpSocket.ipv6(0, null, 4, 64, 0);
        try (DatagramSocket peer = new DatagramSocket(0, lo)) {
            byte[] big = new byte[200];
            peer.send(new DatagramPacket(big, big.length, lo, s.port()));
            Datagram[] rx = {new Datagram(64), new Datagram(64), new Datagram(64), new Datagram(64)};
            int n = 0;
            long end = System.nanoTime() + 5_000_000_000L;
            while (n == 0 && System.nanoTime() < end) {
                n = s.receive(rx);
            }
            assertThat(n).isEqualTo(1);
            assertThat(rx[0].truncated).isTrue();
        } finally {
            s.close();
            s.release();
        }
    }
}
