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

    public Datagram(int capacity) {
        this.data = new byte[capacity];
    }
}
