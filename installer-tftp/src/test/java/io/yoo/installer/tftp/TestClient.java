package io.yoo.installer.tftp;

import io.yoo.installer.tftp.codec.MalformedPacketException;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A packet-level TFTP client for tests that must send exact sequences (OVMF's abort and retry,
 * duplicate ACKs, never-acknowledging clients). Blocking, one socket = one client TID.
 */
final class TestClient implements AutoCloseable {
    final DatagramSocket socket;
    final InetSocketAddress server;
    /** Source of the last received packet: the transfer's TID. */
    InetSocketAddress peer;

    TestClient(int serverPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(3000);
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    void rrq(String file, Map<String, String> options) throws IOException {
        send(new TftpPacket.ReadRequest(file, "octet", options), server);
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
    }

    void send(TftpPacket p, InetSocketAddress to) throws IOException {
        byte[] b = TftpCodec.encode(p);
        socket.send(new DatagramPacket(b, b.length, to));
    }

    void ack(int block) throws IOException {
        send(new TftpPacket.Ack(block & 0xFFFF), peer);
    }

    void error(int code, String msg) throws IOException {
        send(new TftpPacket.Error(code, msg), peer);
    }

    TftpPacket receive() throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        socket.receive(dp);
        peer = (InetSocketAddress) dp.getSocketAddress();
        try {
            return TftpCodec.decode(ByteBuffer.wrap(buf, 0, dp.getLength()));
        } catch (MalformedPacketException e) {
            throw new IOException("server sent a malformed packet: " + e.getMessage(), e);
        }
    }

    /** Receives, or null when nothing arrives within {@code millis}. */
    TftpPacket receive(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return receive();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
