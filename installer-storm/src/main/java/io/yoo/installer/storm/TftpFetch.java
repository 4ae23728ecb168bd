package io.yoo.installer.storm;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * One TFTP read (RFC 1350 + blksize/tsize, RFC 2348/2349) the way a PXE ROM does it: lock-step,
 * retransmitting its last packet on a timeout. Returns the number of bytes received.
 */
final class TftpFetch {
    static final int BLKSIZE = 1456; // what PXE ROMs usually ask for
    private static final int RETRIES = 6;

    private TftpFetch() {}

    static long fetch(InetAddress source, InetSocketAddress server, String file, int timeoutMillis) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(source, 0));
            DatagramSocket s = ch.socket();
            s.setSoTimeout(timeoutMillis);
            byte[] last = rrq(file);
            SocketAddress lastTo = server;
            SocketAddress peer = null;
            int blksize = 512;
            int expected = 1;
            long bytes = 0;
            byte[] buf = new byte[65_536];
            int tries = 0;
            s.send(new DatagramPacket(last, last.length, lastTo));
            while (true) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(in);
                } catch (SocketTimeoutException e) {
                    if (++tries > RETRIES) {
                        throw new IOException("TFTP " + file + ": no answer after " + RETRIES + " retries (block " + expected + ")");
                    }
                    s.send(new DatagramPacket(last, last.length, lastTo));
                    continue;
                }
                if (peer == null) {
                    peer = in.getSocketAddress();
                } else if (!peer.equals(in.getSocketAddress())) {
                    continue; // RFC 1350: packets from another TID are not ours
                }
                int len = in.getLength();
                int op = len >= 2 ? ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF) : -1;
                if (op == 5) {
                    throw new IOException("TFTP " + file + ": error " + new String(buf, 4, Math.max(0, len - 5), StandardCharsets.US_ASCII));
                }
                if (op == 6 && expected == 1) { // OACK: take the block size, acknowledge block 0
                    blksize = oackBlksize(buf, len, blksize);
                    last = ack(0);
                    lastTo = peer;
                    tries = 0;
                    s.send(new DatagramPacket(last, last.length, lastTo));
                    continue;
                }
                if (op != 3 || len < 4) {
                    throw new IOException("TFTP " + file + ": unexpected opcode " + op);
                }
                int block = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
                if (block == (expected & 0xFFFF)) {
                    bytes += len - 4;
                    last = ack(block);
                    lastTo = peer;
                    tries = 0;
                    s.send(new DatagramPacket(last, last.length, lastTo));
                    if (len - 4 < blksize) {
                        return bytes;
                    }
                    expected++;
                } else {
                    s.send(new DatagramPacket(last, last.length, lastTo)); // duplicate: re-acknowledge
                }
            }
        }
    }

    private static byte[] rrq(String file) {
        ByteBuffer b = ByteBuffer.allocate(64 + file.length());
        b.putShort((short) 1);
        for (String part : new String[] {file, "octet", "blksize", Integer.toString(BLKSIZE), "tsize", "0"}) {
            b.put(part.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] ack(int block) {
        return new byte[] {0, 4, (byte) (block >> 8), (byte) block};
    }

    private static int oackBlksize(byte[] buf, int len, int dflt) {
        String[] parts = new String(buf, 2, len - 2, StandardCharsets.US_ASCII).split("\0");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (parts[i].equalsIgnoreCase("blksize")) {
                return Integer.parseInt(parts[i + 1]);
            }
        }
        return dflt;
    }
}
