package io.yoo.installer.dhcp.net;

/**
 * One UDP datagram slot, reused across receive/send batches (no per-packet allocation).
 * On receive: {@code data[0..length)}, the sender, and from IP_PKTINFO the interface index and
 * the local address it arrived for. On send: the same fields say where it goes and by which
 * interface it leaves.
 */
public final class Datagram {
    public final byte[] data;
    public int length;
    /** Peer address (host order int) and port. */
    public int peerAddress;
    public int peerPort;
    /** Interface index the datagram arrived on / must leave by (0 = let routing decide). */
    public int ifIndex;
    /** Local address: the one the datagram was sent to us for / the source address to use. */
    public int localAddress;
    /** Header destination address on receive (e.g. 255.255.255.255 for broadcasts). */
    public int destAddress;
    public boolean truncated;
    /** IPv6 sockets ({@link NativeUdpSocket#ipv6}): the peer's address, its scope (link-local: the interface). */
    public final byte[] peer6 = new byte[16];
    public int scopeId;
    /** IPv6: the local address the datagram came to (IPV6_PKTINFO) / the source to send from (zeros: the kernel's). */
    public final byte[] local6 = new byte[16];

    public Datagram(int capacity) {
        this.data = new byte[capacity];
    }
}
