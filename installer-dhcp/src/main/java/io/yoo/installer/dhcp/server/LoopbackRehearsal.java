package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.net.Datagram;
import io.yoo.installer.dhcp.net.NativeUdpSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scratch {@link DhcpServer} on 127.0.0.1 and a relay-like client on 127.0.0.2 exchanging
 * DORA and RELEASE in batches: the server's own receive and send threads, their hand-off queue,
 * the lease journal and the socket calls run as under load, so the JIT compiles them before
 * the real server answers anyone (see {@link EnginePrimer#JIT_EXCHANGES} for why that matters).
 * Replies come back because the client plays a relay: the server answers giaddr 127.0.0.2 on its
 * own port number, which is the client's. The scratch server serves a 127.0.0.0/8 subnet with
 * the options of the real configuration's first subnet, in the real configuration's mode.
 */
final class LoopbackRehearsal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackRehearsal.class);
    private static final Ipv4 SERVER = Ipv4.parse("127.0.0.1");
    private static final Ipv4 RELAY = Ipv4.parse("127.0.0.2");
    private static final int BATCH = 16;
    private static final int CAPACITY = 2048;

    private final NativeUdpSocket client;
    private final DhcpServer server;
    private final Datagram[] tx = new Datagram[BATCH];
    private final Datagram[] rx = new Datagram[BATCH];
    private int next;

    private LoopbackRehearsal(NativeUdpSocket client, DhcpServer server) {
        this.client = client;
        this.server = server;
        for (int i = 0; i < BATCH; i++) {
            tx[i] = new Datagram(CAPACITY);
            rx[i] = new Datagram(CAPACITY);
        }
    }

    /** A running rehearsal, or empty where loopback sockets cannot be had (then priming goes on without). */
    static Optional<LoopbackRehearsal> open(DhcpServerConfig real, BootPolicy quietPolicy, Path leaseDir) {
        if (real.mode() != DhcpServerConfig.Mode.FULL) {
            return Optional.empty(); // proxy mode answers relays with nothing to rehearse
        }
        NativeUdpSocket client = null;
        DhcpServer server = null;
        try {
            client = new NativeUdpSocket(RELAY.value(), 0, null, BATCH, CAPACITY, 0);
            server = new DhcpServer(scratchConfig(real, client.port(), leaseDir), quietPolicy).quietly();
            server.start();
            return Optional.of(new LoopbackRehearsal(client, server));
        } catch (Exception | LinkageError e) {
            LOG.debug("no loopback rehearsal for DHCP priming: {}", e.toString());
            if (server != null) {
                server.stop();
            }
            if (client != null) {
                client.close();
                client.release();
            }
            return Optional.empty();
        }
    }

    private static DhcpServerConfig scratchConfig(DhcpServerConfig real, int port, Path leaseDir) {
        DhcpSubnet model = real.subnets().getFirst();
        DhcpSubnet loop = new DhcpSubnet(Ipv4Cidr.parse("127.0.0.0/8"),
                Optional.of(new AddressPool(Ipv4.parse("127.64.0.1"), Ipv4.parse("127.127.255.254"))),
                model.gateway().isPresent() ? Optional.of(Ipv4.parse("127.0.0.3")) : Optional.empty(),
                model.dns().isEmpty() ? List.of() : List.of(Ipv4.parse("127.0.0.4")), model.domain(), model.leaseSeconds());
        return new DhcpServerConfig(DhcpServerConfig.Mode.FULL, List.of(), SERVER, port, real.clientPort(), 0, SERVER,
                List.of(loop), Optional.ofNullable(leaseDir), real.reserved(), real.ipxeNoProxyWait(), 0,
                real.offerHoldSeconds(), 0, Optional.empty());
    }

    /**
     * One batch of clients through DISCOVER-OFFER, REQUEST-ACK and RELEASE, in the shapes of
     * {@link EnginePrimer#request}. Waits at most the socket's receive timeout per step.
     *
     * @return how many got an ACK
     */
    int exchangeBatch() throws IOException, MalformedPacketException {
        int first = next;
        next += BATCH;
        for (int k = 0; k < BATCH; k++) {
            put(k, EnginePrimer.request(1, mac(first + k), 0, null, (first + k) % 4, RELAY));
        }
        client.send(tx, BATCH);
        List<DhcpPacket> offers = receive(BATCH, MessageType.OFFER);
        int n = 0;
        for (DhcpPacket o : offers) {
            put(n++, EnginePrimer.request(3, o.chaddr(), o.yiaddr().value(), SERVER, shape(o), RELAY));
        }
        client.send(tx, n);
        List<DhcpPacket> acks = receive(n, MessageType.ACK);
        int m = 0;
        for (DhcpPacket a : acks) {
            put(m++, EnginePrimer.request(7, a.chaddr(), a.yiaddr().value(), SERVER, shape(a), null));
        }
        client.send(tx, m); // RELEASE: no answer
        return acks.size();
    }

    private List<DhcpPacket> receive(int expected, MessageType type) throws IOException, MalformedPacketException {
        List<DhcpPacket> got = new ArrayList<>();
        while (got.size() < expected) {
            int r = client.receive(rx);
            if (r == 0) {
                break; // timed out: a lost datagram only shortens the rehearsal
            }
            for (int i = 0; i < r; i++) {
                DhcpPacket p = DhcpCodec.decode(rx[i].data, 0, rx[i].length);
                if (p.messageType().filter(type::equals).isPresent()) {
                    got.add(p);
                }
            }
        }
        return got;
    }

    /** The shape a client was given: its number (the MAC's last byte) modulo 4, as it was sent. */
    private static int shape(DhcpPacket p) {
        return (p.chaddr()[5] & 0xff) % 4;
    }

    private void put(int k, byte[] request) {
        Datagram d = tx[k];
        System.arraycopy(request, 0, d.data, 0, request.length);
        d.length = request.length;
        d.peerAddress = SERVER.value();
        d.peerPort = client.port();
        d.localAddress = RELAY.value();
        d.ifIndex = 0;
    }

    private static byte[] mac(int i) {
        return new byte[] {0x02, 0x79, 0x6f, 0x70, (byte) (i >> 8), (byte) i}; // locally administered: no NIC's
    }

    @Override
    public void close() {
        server.stop();
        client.close();
        client.release();
    }
}
