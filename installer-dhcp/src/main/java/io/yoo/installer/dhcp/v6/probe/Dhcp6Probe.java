package io.yoo.installer.dhcp.v6.probe;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Option;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Options;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Multicasts one SOLICIT to ff02::1:2 on an interface and collects every ADVERTISE (or Rapid
 * Commit REPLY, though the probe never asks for one) that answers it: how to find the DHCPv6
 * servers on a link. The SOLICIT looks like UEFI PXE firmware's (client arch 7, vendor class
 * {@code PXEClient}, asks for the boot file URL) so boot-only servers answer too, and comes
 * from a random locally administered DUID-LL, so no real machine's reservation is touched. It
 * never REQUESTs: the advertised addresses go back to the servers' ranges by themselves. Its user
 * class {@value #USER_CLASS} tells Yoo servers not to hold the address they advertise to it (as
 * {@link io.yoo.installer.dhcp.probe.DhcpProbe} for DHCPv4).
 */
public final class Dhcp6Probe {
    /** Option 15 of a probe's SOLICIT (one datum, RFC 8415 21.15). */
    public static final String USER_CLASS = "yoo-probe";

    private final String iface;
    private final int clientPort;
    private final int serverPort;

    public Dhcp6Probe(String iface) {
        this(iface, 546, 547);
    }

    public Dhcp6Probe(String iface, int clientPort, int serverPort) {
        this.iface = iface;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
    }

    /** The probe's SOLICIT from {@code me}: a UEFI PXE client's, marked by {@link #USER_CLASS}. */
    public static Dhcp6Message.Client solicit(Duid me, int xid, int iaid) {
        Dhcp6Options o = Dhcp6Options.builder().put(Dhcp6Option.CLIENTID, me.toBytes())
                .u16(Dhcp6Option.ELAPSED_TIME, 0)
                .put(Dhcp6Option.ORO, new byte[] {0, (byte) Dhcp6Option.DNS_SERVERS, 0, (byte) Dhcp6Option.BOOTFILE_URL})
                .iaNa(new IaNa(iaid, 0, 0, List.of(), Optional.empty()))
                .u16(Dhcp6Option.CLIENT_ARCH_TYPE, 7)
                .vendorClass(343, List.of("PXEClient:Arch:00007:UNDI:003016"))
                .put(Dhcp6Option.USER_CLASS, userClass())
                .build();
        return new Dhcp6Message.Client(Dhcp6MessageType.SOLICIT, xid, o);
    }

    /** Sends a SOLICIT and returns the answers received within {@code wait}, one per server and source. */
    public List<Probe6Answer> probe(Duration wait) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(iface);
        if (nif == null) {
            throw new IOException("no interface named '" + iface + "' (see `ip link`)");
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Duid me = Duid.ll(new MacAddress(0x02_00_00_00_00_00L | rnd.nextLong(1L << 40)));
        int xid = rnd.nextInt(1 << 24);
        byte[] solicit = Dhcp6Codec.encode(solicit(me, xid, rnd.nextInt()));
        List<Probe6Answer> answers = new ArrayList<>();
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6); Selector sel = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            ch.bind(new InetSocketAddress(InetAddress.getByName("::"), clientPort));
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            Inet6Address group = Inet6Address.getByAddress(null, Ipv6.parse("ff02::1:2").toBytes(), nif);
            ch.send(ByteBuffer.wrap(solicit), new InetSocketAddress(group, serverPort));
            ByteBuffer in = ByteBuffer.allocate(Dhcp6Codec.MAX_LENGTH);
            long deadline = System.nanoTime() + wait.toNanos();
            for (long left; (left = deadline - System.nanoTime()) > 0;) {
                sel.select(Math.max(1, left / 1_000_000));
                sel.selectedKeys().clear();
                for (InetSocketAddress from; (from = (InetSocketAddress) ch.receive(in.clear())) != null;) {
                    Probe6Answer a = answer(in, from, xid, me);
                    if (a != null && answers.stream().noneMatch(x -> x.source().equals(a.source())
                            && x.serverId().equals(a.serverId()))) {
                        answers.add(a);
                    }
                }
            }
        }
        return answers;
    }

    private static byte[] userClass() {
        byte[] name = USER_CLASS.getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[name.length + 2];
        v[1] = (byte) name.length;
        System.arraycopy(name, 0, v, 2, name.length);
        return v;
    }

    private static Probe6Answer answer(ByteBuffer in, InetSocketAddress from, int xid, Duid me) {
        try {
            if (Dhcp6Codec.decode(in.array(), 0, in.position()) instanceof Dhcp6Message.Client c
                    && (c.type() == Dhcp6MessageType.ADVERTISE || c.type() == Dhcp6MessageType.REPLY)
                    && c.transactionId() == xid && c.options().clientId().map(me::equals).orElse(false)) {
                return new Probe6Answer(Ipv6.of(from.getAddress()), c.options().serverId(), c);
            }
        } catch (MalformedPacketException e) {
            // not a DHCPv6 answer: ignore
        }
        return null;
    }
}
