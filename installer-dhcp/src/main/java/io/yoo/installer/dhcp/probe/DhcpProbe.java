package io.yoo.installer.dhcp.probe;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.net.Datagram;
import io.yoo.installer.dhcp.net.NativeUdpSocket;
import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Broadcasts one DHCPDISCOVER on an interface and collects every OFFER that answers it: how to
 * find the DHCP servers on a segment (a rogue one, or the one a proxyDHCP setup sits beside).
 * The DISCOVER looks like PXE firmware's (vendor class PXEClient, arch 0), so ProxyDHCP servers
 * answer too, and sets the broadcast flag so answers reach us without an address. It never
 * REQUESTs: the offered addresses go back to the servers' pools when their offers time out.
 * It carries the user class {@value #USER_CLASS}: Yoo servers answer it without holding the
 * offered address, so the probes the servers of one cluster send each other every few minutes
 * never take pool addresses from machines (a pool of ten once ran dry in a failover test: two
 * held probe offers and four booting clients).
 */
public final class DhcpProbe {
    /** Option 77 of a probe's DISCOVER (RFC 3004 form: one length-prefixed instance). */
    public static final String USER_CLASS = "yoo-probe";

    private final String iface;
    private final int clientPort;
    private final int serverPort;

    public DhcpProbe(String iface) {
        this(iface, 68, 67);
    }

    public DhcpProbe(String iface, int clientPort, int serverPort) {
        this.iface = iface;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
    }

    /**
     * The interface by name, from /sys/class/net: unlike {@link NetworkInterface#getByName}, which
     * lists only interfaces holding an address, this finds an interface without one, the usual
     * state of a NIC on a segment being checked for DHCP servers. (The socket is bound to the
     * device and sends with its index, so no address or route is needed.)
     */
    record Link(int index, byte[] hardwareAddress) {
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

        static Link of(String name) throws IOException {
            if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                throw new IOException("'" + name + "' is not an interface name like eth1 (see `ip link`)");
            }
            Path dir = Path.of("/sys/class/net", name);
            if (!Files.isDirectory(dir)) {
                NetworkInterface ni = NetworkInterface.getByName(name); // no sysfs (not Linux?): what Java sees
                if (ni == null) {
                    throw new IOException("no interface named '" + name + "' (see `ip link`)");
                }
                return new Link(ni.getIndex(), ni.getHardwareAddress());
            }
            int index = Integer.parseInt(Files.readString(dir.resolve("ifindex")).strip());
            byte[] hw = null;
            try {
                hw = MacAddress.parse(Files.readString(dir.resolve("address")).strip()).toBytes();
            } catch (IOException | IllegalArgumentException e) {
                // no Ethernet address (e.g. a tunnel): a random one is used below
            }
            return new Link(index, hw);
        }
    }

    private static byte[] userClass() {
        byte[] name = USER_CLASS.getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[name.length + 1];
        v[0] = (byte) name.length;
        System.arraycopy(name, 0, v, 1, name.length);
        return v;
    }

    /** The probe's DISCOVER from {@code mac}: a PXE client's, broadcast flag set, marked by {@link #USER_CLASS}. */
    public static DhcpPacket discover(MacAddress mac, int xid) {
        byte[] chaddr = new byte[16];
        System.arraycopy(mac.toBytes(), 0, chaddr, 0, 6);
        DhcpOptions opts = DhcpOptions.builder().messageType(MessageType.DISCOVER)
                .put(DhcpOption.PARAMETER_LIST, new byte[] {1, 3, 6, 15, 28, 43, 51, 54, 60, 66, 67})
                .string(DhcpOption.VENDOR_CLASS, "PXEClient:Arch:00000:UNDI:002001")
                .u16(DhcpOption.CLIENT_ARCH, 0)
                .put(DhcpOption.CLIENT_NDI, new byte[] {1, 2, 1})
                .put(DhcpOption.USER_CLASS, userClass())
                .build();
        return new DhcpPacket(DhcpPacket.BOOTREQUEST, 1, 6, 0, xid, 0, DhcpPacket.FLAG_BROADCAST,
                DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, chaddr, "", "", opts);
    }

    /** Sends a DISCOVER and returns the answers received within {@code wait}, one per server. */
    public List<ProbeAnswer> probe(Duration wait) throws IOException {
        Link link = Link.of(iface);
        byte[] hw = link.hardwareAddress();
        MacAddress mac = hw != null && hw.length == 6 ? MacAddress.of(hw, 0)
                : new MacAddress(0x02_00_00_00_00_00L | ThreadLocalRandom.current().nextLong(1L << 32));
        int xid = ThreadLocalRandom.current().nextInt();
        DhcpPacket discover = discover(mac, xid);
        List<ProbeAnswer> answers = new ArrayList<>();
        try (NativeUdpSocket s = new NativeUdpSocket(0, clientPort, iface, 8, 2048, 0)) {
            Datagram out = new Datagram(2048);
            out.length = DhcpCodec.encode(discover, out.data, 0);
            out.peerAddress = -1;
            out.peerPort = serverPort;
            out.ifIndex = link.index();
            if (!s.sendOne(out)) {
                throw new IOException("cannot broadcast on " + iface + ": errno " + s.lastSendErrno());
            }
            Datagram[] in = new Datagram[8];
            for (int i = 0; i < in.length; i++) {
                in[i] = new Datagram(2048);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                int n = s.receive(in);
                for (int i = 0; i < n; i++) {
                    try {
                        DhcpPacket p = DhcpCodec.decode(in[i].data, 0, in[i].length);
                        if (p.op() != DhcpPacket.BOOTREPLY || p.xid() != xid
                                || p.messageType().orElse(null) != MessageType.OFFER) {
                            continue;
                        }
                        Ipv4 src = new Ipv4(in[i].peerAddress);
                        Optional<Ipv4> sid = p.options().ip(DhcpOption.SERVER_ID);
                        boolean dup = answers.stream().anyMatch(a -> a.source().equals(src) && a.serverId().equals(sid)
                                && a.offered().equals(p.yiaddr()));
                        if (!dup) {
                            answers.add(new ProbeAnswer(src, sid, p.yiaddr(), p));
                        }
                    } catch (MalformedPacketException e) {
                        // not a DHCP answer: ignore
                    }
                }
            }
            s.release();
        }
        return answers;
    }
}
