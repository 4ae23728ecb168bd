package io.yoo.installer.tftp.server;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.tftp.codec.ErrorCode;
import io.yoo.installer.tftp.codec.MalformedPacketException;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.files.Content;
import io.yoo.installer.tftp.files.Netascii;
import io.yoo.installer.tftp.files.PathRefusedException;
import io.yoo.installer.tftp.files.RequestPath;
import io.yoo.installer.tftp.negotiation.Negotiated;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request socket (port 69): decodes RRQs, checks the name, finds the content (virtual file
 * first, then disk), negotiates options and hands a new {@link Transfer} on its own port to an
 * event loop. Errors before a transfer exists are sent from this socket.
 *
 * <p>Each transfer socket binds this listener's local address: a listener bound to one address
 * (the service address, see {@link TftpServer#listenOn}) answers from the address the client
 * asked, which strict clients require; the wildcard listener's transfers get the source the
 * kernel picks by route (Java has no IP_PKTINFO to learn a datagram's destination).
 */
final class RequestListener {
    private static final Logger log = LoggerFactory.getLogger(RequestListener.class);
    /** netascii is converted in memory; beyond this, clients must use octet. */
    static final int MAX_NETASCII_BYTES = 16 << 20;

    private final TftpServer server;
    private final DatagramChannel channel;
    private final InetAddress local;

    RequestListener(TftpServer server, DatagramChannel channel, InetAddress local) {
        this.server = server;
        this.channel = channel;
        this.local = local;
    }

    InetAddress local() {
        return local;
    }

    DatagramChannel channel() {
        return channel;
    }

    void readable(ByteBuffer rx) throws IOException {
        while (channel.isOpen()) {
            rx.clear();
            SocketAddress from = channel.receive(rx);
            if (from == null) {
                return;
            }
            rx.flip();
            handle(rx, (InetSocketAddress) from);
        }
    }

    private void handle(ByteBuffer rx, InetSocketAddress from) {
        TftpPacket p;
        try {
            p = TftpCodec.decode(rx);
        } catch (MalformedPacketException e) {
            server.stats.malformed();
            int opcode = rx.limit() >= 2 ? rx.getShort(0) & 0xFFFF : -1;
            if (opcode == TftpPacket.RRQ || opcode == TftpPacket.WRQ) {
                sendError(from, ErrorCode.ILLEGAL_OPERATION, "malformed request: " + e.getMessage());
            }
            log.debug("tftp {}: dropped malformed packet: {}", from, e.getMessage());
            return;
        }
        switch (p) {
            case TftpPacket.ReadRequest r -> read(r, from);
            case TftpPacket.WriteRequest w -> {
                server.stats.refusedWrite();
                sendError(from, ErrorCode.ACCESS_VIOLATION, "write requests are refused: this TFTP server is read-only");
            }
            default -> server.stats.malformed(); // DATA/ACK/ERROR belong on a transfer port
        }
    }

    private void read(TftpPacket.ReadRequest r, InetSocketAddress from) {
        server.stats.request();
        Transfer existing = server.activeTransfer(from);
        if (existing != null) {
            if (!existing.progressed() && existing.request.equals(r)) {
                // the client resent its RRQ before our first answer arrived: that answer is on its way
                server.stats.duplicateRequest();
                return;
            }
            // the client gave up on the old transfer (OVMF asks again after ERROR 8) and starts anew
            existing.loop.submit(existing::abandon);
        }
        boolean netascii;
        switch (r.mode()) {
            case "octet" -> netascii = false;
            case "netascii" -> netascii = true;
            default -> {
                sendError(from, ErrorCode.ILLEGAL_OPERATION, "transfer mode '" + r.mode() + "' not supported (use octet)");
                return;
            }
        }
        if (!server.reserveSlot()) {
            server.stats.refusedBusy();
            sendError(from, ErrorCode.NOT_DEFINED, "server busy: " + server.config().maxTransfers()
                    + " transfers in progress (the maximum); retry later");
            return;
        }
        boolean handedOver = false;
        Content content = null;
        try {
            Found found = find(r.filename(), from);
            content = found.content;
            if (netascii) {
                content = toNetascii(content, r.filename());
            }
            Negotiated n = server.negotiator().negotiate(r.options(), content.size());
            // an IPv4 socket unless bound to IPv6 (no v4-mapped handling per packet); dual-stack when bound to ::
            DatagramChannel ch = DatagramChannel.open(local instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                ch.bind(new InetSocketAddress(local, 0)); // the address the request came to, when this listener has one
                ch.connect(from);
                ch.configureBlocking(false);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            EventLoop loop = server.nextLoop();
            Transfer t = new Transfer(server, loop, ch, from, r, content, found.virtual, n);
            server.track(from, t);
            handedOver = true;
            loop.submit(t::start);
            log.debug("tftp {}: RRQ {} {} -> {} bytes", from, r.filename(), r.options(), content.size());
        } catch (PathRefusedException e) {
            if (e.notFound()) {
                server.stats.notFound();
                tellNotFound(r.filename(), from); // before the answer: a client that got it finds the listener told
                sendError(from, ErrorCode.FILE_NOT_FOUND, e.getMessage());
            } else {
                server.stats.refusedPath();
                log.info("tftp {}: refused '{}': {}", from, printable(r.filename()), e.getMessage());
                sendError(from, ErrorCode.ACCESS_VIOLATION, e.getMessage());
            }
        } catch (IOException e) {
            log.warn("tftp {}: cannot serve '{}': {}", from, printable(r.filename()), e.toString());
            sendError(from, ErrorCode.NOT_DEFINED, "cannot read file");
        } finally {
            if (!handedOver) {
                if (content != null) {
                    content.release();
                }
                server.releaseSlot();
            }
        }
    }

    private void tellNotFound(String file, InetSocketAddress from) {
        try {
            server.listener().notFound(file, from);
        } catch (RuntimeException e) {
            log.warn("tftp {}: not-found listener failed: {}", from, e.toString());
        }
    }

    private record Found(Content content, boolean virtual) {}

    private Found find(String name, InetSocketAddress from) throws PathRefusedException, IOException {
        // GRUB names files from the root of its (tftp) device ("/grub/grub.cfg", the Secure Boot
        // chain's signed GRUB among them): such a name may reach the rendered (virtual) files; the
        // disk keeps refusing absolute paths
        boolean absolute = name.length() > 1 && name.charAt(0) == '/';
        String checked = String.join("/", RequestPath.segments(absolute ? name.substring(1) : name));
        if (from.getAddress() instanceof Inet4Address a) {
            Optional<byte[]> v = server.virtualFiles().find(checked, Ipv4.of(a));
            if (v.isPresent()) {
                return new Found(Content.ofBytes(v.get()), true);
            }
        }
        if (absolute) {
            RequestPath.segments(name);   // refused: "absolute path"
        }
        Path real = server.root().resolve(checked);
        return new Found(server.files().acquire(real), false);
    }

    private static Content toNetascii(Content c, String name) throws IOException {
        try {
            if (c.size() > MAX_NETASCII_BYTES) {
                throw new IOException("netascii transfers are limited to " + MAX_NETASCII_BYTES + " bytes; use octet for " + name);
            }
            byte[] raw = new byte[(int) c.size()];
            ByteBuffer scratch = ByteBuffer.allocate(Math.max(1, raw.length));
            ByteBuffer b = c.read(0, raw.length, scratch);
            b.get(raw);
            return Content.ofBytes(Netascii.encode(raw));
        } finally {
            c.release();
        }
    }

    void sendError(InetSocketAddress to, int code, String message) {
        try {
            channel.send(ByteBuffer.wrap(TftpCodec.encode(new TftpPacket.Error(code, message))), to);
        } catch (IOException e) {
            log.debug("tftp {}: cannot send error: {}", to, e.toString());
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
