package io.yoo.installer.dhcp.net;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Sends gratuitous ARP on one Linux interface through an {@code AF_PACKET}/{@code SOCK_DGRAM}
 * socket (FFM API; the kernel adds the Ethernet header for the broadcast destination), so that
 * neighbours move an address that moved to this host to our MAC at once instead of when their
 * cache entry expires. Needs CAP_NET_RAW (which the DHCP server has anyway). Stateless: each
 * {@link #announce} opens and closes its socket.
 */
public final class ArpAnnouncer {
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCKADDR_LL = 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = fn("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, Linker.Option.captureCallState("errno"));
    }

    private final String iface;
    private final int index;
    private final MacAddress mac;

    private ArpAnnouncer(String iface, int index, MacAddress mac) {
        this.iface = iface;
        this.index = index;
        this.mac = mac;
    }

    /** The Ethernet interface {@code iface} (index and MAC from /sys/class/net). */
    public static ArpAnnouncer on(String iface) throws IOException {
        if (!NAME.matcher(iface).matches() || iface.startsWith("-") || iface.equals(".") || iface.equals("..")) {
            throw new IOException("'" + iface + "' is not an interface name like eth1");
        }
        Path dir = Path.of("/sys/class/net", iface);
        if (!Files.isDirectory(dir)) {
            throw new IOException("no interface named '" + iface + "' (see `ip link`)");
        }
        int index = Integer.parseInt(Files.readString(dir.resolve("ifindex")).strip());
        MacAddress mac;
        try {
            mac = MacAddress.parse(Files.readString(dir.resolve("address")).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(iface + " has no Ethernet address: ARP cannot announce on it", e);
        }
        return new ArpAnnouncer(iface, index, mac);
    }

    public MacAddress mac() {
        return mac;
    }

    /**
     * Broadcasts the announcement of {@code address} at our MAC twice: as a request and as a reply
     * (stacks differ in which they learn from).
     */
    public void announce(Ipv4 address) throws IOException {
        send(ArpPacket.announcementRequest(mac, address), ArpPacket.announcementReply(mac, address));
    }

    private void send(ArpPacket... packets) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(errno, AF_PACKET, SOCK_DGRAM, 0); // protocol 0: sends only, receives nothing
            if (fd < 0) {
                throw new IOException("cannot open a packet socket for ARP on " + iface + ": errno " + (int) ERRNO.get(errno, 0L)
                        + " (needs CAP_NET_RAW)");
            }
            try {
                MemorySegment to = arena.allocate(SOCKADDR_LL);
                to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
                to.set(SHORT_BE, 2, (short) ArpPacket.ETHERTYPE);
                to.set(ValueLayout.JAVA_INT, 4, index);
                to.set(ValueLayout.JAVA_BYTE, 11, (byte) 6); // sll_halen
                for (int i = 0; i < 6; i++) {
                    to.set(ValueLayout.JAVA_BYTE, 12 + i, (byte) 0xff); // broadcast
                }
                for (ArpPacket p : packets) {
                    byte[] bytes = p.encode();
                    MemorySegment buf = arena.allocate(bytes.length);
                    MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
                    long n = (long) SENDTO.invokeExact(errno, fd, buf, (long) bytes.length, 0, to, SOCKADDR_LL);
                    if (n != bytes.length) {
                        throw new IOException("ARP announcement on " + iface + " not sent: errno " + (int) ERRNO.get(errno, 0L));
                    }
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
