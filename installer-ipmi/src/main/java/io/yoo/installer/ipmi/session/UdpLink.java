package io.yoo.installer.ipmi.session;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * The only socket code of the IPMI client: one connected UDP socket per BMC. Connecting makes
 * the kernel filter datagrams from other hosts and report ICMP port-unreachable, so "nothing
 * listens there" is known at once instead of after every retry.
 */
final class UdpLink implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress peer;
    private final byte[] buffer = new byte[2048];

    UdpLink(InetSocketAddress peer) throws IOException {
        if (peer.isUnresolved()) {
            throw new IpmiUnreachableException("cannot resolve BMC host " + peer.getHostString());
        }
        this.peer = peer;
        this.socket = new DatagramSocket();
        socket.connect(peer);
    }

    void send(byte[] datagram) throws IOException {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length));
        } catch (PortUnreachableException e) {
            throw unreachable();
        } catch (NoRouteToHostException e) {
            throw new IpmiUnreachableException(peer.getAddress().getHostAddress() + ": no route to host");
        }
    }

    /** The next datagram, or null when {@code timeoutMillis} passes first. */
    byte[] receive(long timeoutMillis) throws IOException {
        if (timeoutMillis <= 0) {
            return null;
        }
        socket.setSoTimeout((int) Math.max(1, timeoutMillis));
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (PortUnreachableException e) {
            throw unreachable();
        } catch (NoRouteToHostException e) {
            throw new IpmiUnreachableException(peer.getAddress().getHostAddress() + ": no route to host");
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private IpmiUnreachableException unreachable() {
        return new IpmiUnreachableException(peer.getAddress().getHostAddress() + ":" + peer.getPort() + ": port unreachable (no BMC listening)");
    }

    @Override
    public void close() {
        socket.close();
    }
}
