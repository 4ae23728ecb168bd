package io.yoo.installer.dhcp.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Linux UDP socket through the FFM API, because DHCP needs what {@code DatagramChannel} cannot
 * give: IP_PKTINFO (which interface a broadcast arrived on, and sending the reply out by that
 * interface even to 255.255.255.255 with no route for it), SO_BINDTODEVICE, and
 * recvmmsg/sendmmsg to move a whole batch of datagrams per system call.
 *
 * <p>{@link #ipv6} opens the IPv6 twin for DHCPv6: IPV6_PKTINFO instead of IP_PKTINFO, the
 * addresses in {@link Datagram}'s {@code peer6}/{@code local6} with {@code scopeId}, and
 * {@link #joinGroup6} for ff02::1:2.
 *
 * <p>One thread may receive while another sends (separate buffers); neither side is safe for
 * two threads. {@link #close()} may be called from any thread; a blocked receive returns.
 */
public final class NativeUdpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_JOIN_GROUP = 20;
    private static final int IPV6_V6ONLY = 26;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_PKTINFO = 50;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_BROADCAST = 6;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int IPPROTO_IP = 0;
    private static final int IP_PKTINFO = 8;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private static final int SOCKADDR = 16;
    private static final int SOCKADDR6 = 28;
    private static final int IOVEC = 16;
    private static final int MSGHDR = 56;
    private static final int MMSGHDR = 64;
    private static final int CMSG_SPACE = 32; // CMSG_SPACE(sizeof(struct in_pktinfo)) on LP64
    private static final int CMSG_LEN = 28;
    private static final int CMSG_SPACE6 = 40; // CMSG_SPACE(sizeof(struct in6_pktinfo)) on LP64
    private static final int CMSG_LEN6 = 36;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = fn("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = fn("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETSOCKNAME = fn("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle RECVMMSG = fn("recvmmsg", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SENDMMSG = fn("sendmmsg", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SHUTDOWN = LINKER.downcallHandle(LIBC.find("shutdown").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, Linker.Option.captureCallState("errno"));
    }

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final int batch;
    private final int capacity;
    private final MemorySegment errno;
    private final MemorySegment txErrno;
    // receive side
    private final MemorySegment rxHdrs;
    private final MemorySegment rxBufs;
    private final MemorySegment rxNames;
    private final MemorySegment rxCtrl;
    // send side
    private final MemorySegment txHdrs;
    private final MemorySegment txBufs;
    private final MemorySegment txNames;
    private final MemorySegment txCtrl;
    private final MemorySegment txIov;
    private volatile boolean closed;
    private boolean released;
    private final int boundPort;
    private final boolean v6;
    /** Per family: sockaddr_in(6) length and the control space of one (in6_)pktinfo. */
    private final int nameLen;
    private final int ctrlSpace;

    /**
     * Opens a socket bound to {@code address:port} (0 = any, 0 = ephemeral port).
     *
     * @param device  if non-null, SO_BINDTODEVICE: only this interface's datagrams are received
     * @param batch   datagrams per receive/send system call
     */
    public NativeUdpSocket(int address, int port, String device, int batch, int capacity, int bufferBytes)
            throws IOException {
        this(false, address, port, device, batch, capacity, bufferBytes);
    }

    /**
     * Opens an IPv6-only socket bound to {@code [::]:port} (0 = ephemeral) that reports each
     * datagram's arrival interface and destination (IPV6_PKTINFO).
     */
    public static NativeUdpSocket ipv6(int port, String device, int batch, int capacity, int bufferBytes) throws IOException {
        return new NativeUdpSocket(true, 0, port, device, batch, capacity, bufferBytes);
    }

    private NativeUdpSocket(boolean v6, int address, int port, String device, int batch, int capacity, int bufferBytes)
            throws IOException {
        this.v6 = v6;
        this.nameLen = v6 ? SOCKADDR6 : SOCKADDR;
        this.ctrlSpace = v6 ? CMSG_SPACE6 : CMSG_SPACE;
        this.batch = batch;
        this.capacity = capacity;
        this.errno = arena.allocate(CAPTURE);
        this.txErrno = arena.allocate(CAPTURE);
        try {
            int s = (int) SOCKET.invokeExact(errno, v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
            if (s < 0) {
                throw error("socket");
            }
            this.fd = s;
            setInt(SOL_SOCKET, SO_REUSEADDR, 1);
            if (v6) {
                setInt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
                setInt(IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
            } else {
                setInt(SOL_SOCKET, SO_BROADCAST, 1);
                setInt(IPPROTO_IP, IP_PKTINFO, 1);
            }
            if (bufferBytes > 0) {
                // FORCE variants ignore rmem_max as root; fall back to the capped ones otherwise
                if (!trySetInt(SOL_SOCKET, SO_RCVBUFFORCE, bufferBytes)) {
                    trySetInt(SOL_SOCKET, SO_RCVBUF, bufferBytes);
                }
                if (!trySetInt(SOL_SOCKET, SO_SNDBUFFORCE, bufferBytes)) {
                    trySetInt(SOL_SOCKET, SO_SNDBUF, bufferBytes);
                }
            }
            MemorySegment tv = arena.allocate(16);
            tv.set(ValueLayout.JAVA_LONG, 0, 0);
            tv.set(ValueLayout.JAVA_LONG, 8, 200_000); // 200 ms: how fast close() is noticed
            setOpt(SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            if (device != null) {
                byte[] name = device.getBytes(StandardCharsets.US_ASCII);
                MemorySegment dev = arena.allocate(name.length + 1);
                MemorySegment.copy(name, 0, dev, ValueLayout.JAVA_BYTE, 0, name.length);
                setOpt(SOL_SOCKET, SO_BINDTODEVICE, dev, name.length + 1);
            }
            MemorySegment sa = arena.allocate(SOCKADDR6);
            if (v6) {
                writeSockaddr6(sa, new byte[16], port, 0);
            } else {
                writeSockaddr(sa, address, port);
            }
            if ((int) BIND.invokeExact(errno, fd, sa, nameLen) < 0) {
                IOException e = error("bind " + (v6 ? "[::]" : ipString(address)) + ":" + port);
                closeFd();
                throw e;
            }
            MemorySegment len = arena.allocate(4);
            len.set(ValueLayout.JAVA_INT, 0, nameLen);
            if ((int) GETSOCKNAME.invokeExact(errno, fd, sa, len) < 0) {
                throw error("getsockname");
            }
            this.boundPort = Short.toUnsignedInt(sa.get(SHORT_BE, 2));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IOException(t);
        }
        rxHdrs = arena.allocate((long) MMSGHDR * batch, 8);
        rxBufs = arena.allocate((long) capacity * batch, 8);
        rxNames = arena.allocate((long) nameLen * batch, 8);
        rxCtrl = arena.allocate((long) ctrlSpace * batch, 8);
        txHdrs = arena.allocate((long) MMSGHDR * batch, 8);
        txBufs = arena.allocate((long) capacity * batch, 8);
        txNames = arena.allocate((long) nameLen * batch, 8);
        txCtrl = arena.allocate((long) ctrlSpace * batch, 8);
        MemorySegment rxIov = arena.allocate((long) IOVEC * batch, 8);
        txIov = arena.allocate((long) IOVEC * batch, 8);
        for (int i = 0; i < batch; i++) {
            rxIov.set(ValueLayout.ADDRESS, (long) IOVEC * i, rxBufs.asSlice((long) capacity * i));
            rxIov.set(ValueLayout.JAVA_LONG, (long) IOVEC * i + 8, capacity);
            txIov.set(ValueLayout.ADDRESS, (long) IOVEC * i, txBufs.asSlice((long) capacity * i));
            long h = (long) MMSGHDR * i;
            rxHdrs.set(ValueLayout.ADDRESS, h, rxNames.asSlice((long) nameLen * i));
            rxHdrs.set(ValueLayout.ADDRESS, h + 16, rxIov.asSlice((long) IOVEC * i));
            rxHdrs.set(ValueLayout.JAVA_LONG, h + 24, 1);
            rxHdrs.set(ValueLayout.ADDRESS, h + 32, rxCtrl.asSlice((long) ctrlSpace * i));
            txHdrs.set(ValueLayout.ADDRESS, h, txNames.asSlice((long) nameLen * i));
            txHdrs.set(ValueLayout.JAVA_INT, h + 8, nameLen);
            txHdrs.set(ValueLayout.ADDRESS, h + 16, txIov.asSlice((long) IOVEC * i));
            txHdrs.set(ValueLayout.JAVA_LONG, h + 24, 1);
        }
    }

    public int port() {
        return boundPort;
    }

    public int batchSize() {
        return batch;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits up to the receive timeout for datagrams and fills {@code into[0..n)}; returns n (0 on
     * timeout). Truncated datagrams are flagged, not dropped, so the caller can count them.
     */
    public int receive(Datagram[] into) throws IOException {
        int max = Math.min(batch, into.length);
        for (int i = 0; i < max; i++) {
            long h = (long) MMSGHDR * i;
            rxHdrs.set(ValueLayout.JAVA_INT, h + 8, nameLen);
            rxHdrs.set(ValueLayout.JAVA_LONG, h + 40, ctrlSpace);
            rxHdrs.set(ValueLayout.JAVA_INT, h + 48, 0);
        }
        int n;
        try {
            n = (int) RECVMMSG.invokeExact(errno, fd, rxHdrs, max, MSG_WAITFORONE, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (n < 0) {
            int e = (int) ERRNO.get(errno, 0L);
            if (e == EAGAIN || e == EINTR || closed) {
                return 0;
            }
            throw new IOException("recvmmsg failed: errno " + e);
        }
        for (int i = 0; i < n; i++) {
            parse(i, into[i]);
        }
        return n;
    }

    /** Copies received message {@code i} (data, peer, IP_PKTINFO) into {@code d}. */
    private void parse(int i, Datagram d) {
        long h = (long) MMSGHDR * i;
        int len = rxHdrs.get(ValueLayout.JAVA_INT, h + 56);
        int flags = rxHdrs.get(ValueLayout.JAVA_INT, h + 48);
        d.truncated = (flags & MSG_TRUNC) != 0 || len > d.data.length;
        d.length = Math.min(len, Math.min(d.data.length, capacity));
        MemorySegment.copy(rxBufs, ValueLayout.JAVA_BYTE, (long) capacity * i, d.data, 0, d.length);
        long na = (long) nameLen * i;
        d.peerPort = Short.toUnsignedInt(rxNames.get(SHORT_BE, na + 2));
        d.ifIndex = 0;
        d.localAddress = 0;
        d.destAddress = 0;
        long ctrlLen = rxHdrs.get(ValueLayout.JAVA_LONG, h + 40);
        long c = (long) ctrlSpace * i;
        if (v6) {
            MemorySegment.copy(rxNames, ValueLayout.JAVA_BYTE, na + 8, d.peer6, 0, 16);
            d.scopeId = rxNames.get(ValueLayout.JAVA_INT, na + 24);
            Arrays.fill(d.local6, (byte) 0);
            if (ctrlLen >= CMSG_LEN6 && rxCtrl.get(ValueLayout.JAVA_INT, c + 8) == IPPROTO_IPV6
                    && rxCtrl.get(ValueLayout.JAVA_INT, c + 12) == IPV6_PKTINFO) {
                MemorySegment.copy(rxCtrl, ValueLayout.JAVA_BYTE, c + 16, d.local6, 0, 16);
                d.ifIndex = rxCtrl.get(ValueLayout.JAVA_INT, c + 32);
            }
            return;
        }
        d.peerAddress = rxNames.get(INT_BE, na + 4);
        if (ctrlLen >= CMSG_LEN && rxCtrl.get(ValueLayout.JAVA_INT, c + 8) == IPPROTO_IP
                && rxCtrl.get(ValueLayout.JAVA_INT, c + 12) == IP_PKTINFO) {
            d.ifIndex = rxCtrl.get(ValueLayout.JAVA_INT, c + 16);
            d.localAddress = rxCtrl.get(INT_BE, c + 20);
            d.destAddress = rxCtrl.get(INT_BE, c + 24);
        }
    }

    /**
     * Sends {@code from[0..n)} in as few system calls as possible. Each leaves by its
     * {@code ifIndex} with source {@code localAddress} when those are set (IP_PKTINFO).
     *
     * @return how many were sent; the rest failed (e.g. no route) and are the caller's to count
     */
    public int send(Datagram[] from, int n) throws IOException {
        int sent = 0;
        int ok = 0;
        while (sent < n) {
            int k = Math.min(batch, n - sent);
            for (int i = 0; i < k; i++) {
                fill(i, from[sent + i]);
            }
            int r;
            try {
                r = (int) SENDMMSG.invokeExact(txErrno, fd, txHdrs, k, 0);
            } catch (Throwable t) {
                throw new IOException(t);
            }
            if (r <= 0) {
                // the first datagram of this batch failed (e.g. ENETUNREACH); skip it, go on
                sent++;
                lastSendErrno = r < 0 ? (int) ERRNO.get(txErrno, 0L) : 0;
                continue;
            }
            sent += r;
            ok += r;
        }
        return ok;
    }

    /** Puts {@code d} into send slot {@code i}: data, destination, IP_PKTINFO. */
    private void fill(int i, Datagram d) {
        long h = (long) MMSGHDR * i;
        MemorySegment.copy(d.data, 0, txBufs, ValueLayout.JAVA_BYTE, (long) capacity * i, d.length);
        txIov.set(ValueLayout.JAVA_LONG, (long) IOVEC * i + 8, d.length);
        long na = (long) nameLen * i;
        if (v6) {
            writeSockaddr6(txNames.asSlice(na, SOCKADDR6), d.peer6, d.peerPort, d.scopeId);
            fillPktinfo6(i, d);
            txHdrs.set(ValueLayout.JAVA_INT, h + 48, 0);
            return;
        }
        writeSockaddr(txNames.asSlice(na, SOCKADDR), d.peerAddress, d.peerPort);
        if (d.ifIndex != 0 || d.localAddress != 0) {
            long c = (long) ctrlSpace * i;
            txCtrl.set(ValueLayout.JAVA_LONG, c, CMSG_LEN);
            txCtrl.set(ValueLayout.JAVA_INT, c + 8, IPPROTO_IP);
            txCtrl.set(ValueLayout.JAVA_INT, c + 12, IP_PKTINFO);
            txCtrl.set(ValueLayout.JAVA_INT, c + 16, d.ifIndex);
            txCtrl.set(INT_BE, c + 20, d.localAddress);
            txCtrl.set(INT_BE, c + 24, 0);
            txHdrs.set(ValueLayout.ADDRESS, h + 32, txCtrl.asSlice(c));
            txHdrs.set(ValueLayout.JAVA_LONG, h + 40, CMSG_SPACE);
        } else {
            txHdrs.set(ValueLayout.ADDRESS, h + 32, MemorySegment.NULL);
            txHdrs.set(ValueLayout.JAVA_LONG, h + 40, 0);
        }
        txHdrs.set(ValueLayout.JAVA_INT, h + 48, 0);
    }

    /** IPV6_PKTINFO for send slot {@code i}: leave by {@code d.ifIndex} from {@code d.local6} (zeros: the kernel picks). */
    private void fillPktinfo6(int i, Datagram d) {
        long h = (long) MMSGHDR * i;
        if (d.ifIndex == 0) {
            txHdrs.set(ValueLayout.ADDRESS, h + 32, MemorySegment.NULL);
            txHdrs.set(ValueLayout.JAVA_LONG, h + 40, 0);
            return;
        }
        long c = (long) ctrlSpace * i;
        txCtrl.set(ValueLayout.JAVA_LONG, c, CMSG_LEN6);
        txCtrl.set(ValueLayout.JAVA_INT, c + 8, IPPROTO_IPV6);
        txCtrl.set(ValueLayout.JAVA_INT, c + 12, IPV6_PKTINFO);
        MemorySegment.copy(d.local6, 0, txCtrl, ValueLayout.JAVA_BYTE, c + 16, 16);
        txCtrl.set(ValueLayout.JAVA_INT, c + 32, d.ifIndex);
        txCtrl.set(ValueLayout.JAVA_INT, c + 36, 0);
        txHdrs.set(ValueLayout.ADDRESS, h + 32, txCtrl.asSlice(c));
        txHdrs.set(ValueLayout.JAVA_LONG, h + 40, CMSG_SPACE6);
    }

    /** IPv6: joins multicast {@code group} (16 bytes, e.g. ff02::1:2) on interface {@code ifIndex}. */
    public void joinGroup6(byte[] group, int ifIndex) throws IOException {
        if (!v6) {
            throw new IllegalStateException("not an IPv6 socket");
        }
        MemorySegment mreq = arena.allocate(20);
        MemorySegment.copy(group, 0, mreq, ValueLayout.JAVA_BYTE, 0, 16);
        mreq.set(ValueLayout.JAVA_INT, 16, ifIndex);
        setOpt(IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq, 20);
    }

    /**
     * Runs the send and receive paths once without moving a datagram: {@code sendmmsg} with
     * no message, the slot filling and parsing over scratch data. The first call of a foreign
     * function and of each memory access shape links method handles and loads classes (tens of
     * ms on a busy machine); done here, before the first client waits for it.
     */
    public void prime() throws IOException {
        Datagram d = new Datagram(capacity);
        d.length = 1;
        d.ifIndex = 1;
        d.localAddress = 0x7f000001;
        d.peerAddress = 0x7f000001;
        d.peer6[15] = 1;
        d.local6[15] = 1;
        d.peerPort = 9;
        fill(0, d);
        int r;
        try {
            r = (int) SENDMMSG.invokeExact(txErrno, fd, txHdrs, 0, 0);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        lastSendErrno = r < 0 ? (int) ERRNO.get(txErrno, 0L) : 0;
        parse(0, d);
    }

    private int lastSendErrno;

    public int lastSendErrno() {
        return lastSendErrno;
    }

    /** Sends one datagram (convenience for probes and tests). */
    public boolean sendOne(Datagram d) throws IOException {
        return send(new Datagram[] {d}, 1) == 1;
    }

    private void setInt(int level, int opt, int value) throws IOException {
        if (!trySetInt(level, opt, value)) {
            throw error("setsockopt " + level + "/" + opt);
        }
    }

    private boolean trySetInt(int level, int opt, int value) {
        MemorySegment v = arena.allocate(4);
        v.set(ValueLayout.JAVA_INT, 0, value);
        try {
            return (int) SETSOCKOPT.invokeExact(errno, fd, level, opt, v, 4) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    private void setOpt(int level, int opt, MemorySegment v, int len) throws IOException {
        int r;
        try {
            r = (int) SETSOCKOPT.invokeExact(errno, fd, level, opt, v, len);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (r != 0) {
            throw error("setsockopt " + level + "/" + opt);
        }
    }

    private static void writeSockaddr6(MemorySegment sa, byte[] address, int port, int scopeId) {
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
        sa.set(SHORT_BE, 2, (short) port);
        sa.set(ValueLayout.JAVA_INT, 4, 0);
        MemorySegment.copy(address, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
        sa.set(ValueLayout.JAVA_INT, 24, scopeId);
    }

    private static void writeSockaddr(MemorySegment sa, int address, int port) {
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        sa.set(SHORT_BE, 2, (short) port);
        sa.set(INT_BE, 4, address);
        sa.set(ValueLayout.JAVA_LONG, 8, 0);
    }

    private IOException error(String what) {
        int e = (int) ERRNO.get(errno, 0L);
        String hint = switch (e) {
            case 13 -> " (EACCES: ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            case 98 -> " (EADDRINUSE: another DHCP server runs here; stop it or use proxy mode)";
            case 99 -> " (EADDRNOTAVAIL: that address is not on this host)";
            case 19 -> " (ENODEV: no such interface)";
            case 1 -> " (EPERM: needs root)";
            default -> "";
        };
        return new IOException(what + " failed: errno " + e + hint);
    }

    public static String ipString(int a) {
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    private void closeFd() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            int ignored = (int) SHUTDOWN.invokeExact(fd, 2); // wakes a blocked recvmmsg at once
        } catch (Throwable t) {
            // ignore
        }
    }

    /** Frees the socket and memory; call from the receiving thread after it has left receive(). */
    public void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        close();
        closeFd();
        arena.close();
    }
}
