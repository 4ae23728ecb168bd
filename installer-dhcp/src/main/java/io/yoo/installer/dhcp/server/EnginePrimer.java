package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few DISCOVER/REQUEST/RELEASE exchanges through a scratch engine and a scratch lease
 * store before the server answers anyone. Why: the first real packet used to pay for loading and
 * linking the whole answer path (codec, engine, record and lambda bootstraps, string
 * concatenation, the journal): measured 50-100 ms for the first DISCOVERs after start, which was
 * the whole p99 of a 10 s probe at 1,000 DORA/s. Nothing here is seen by clients, the real lease
 * table or the policy's observers: the scratch engine asks the policy only {@code decide} (a
 * question, for a MAC from the locally administered range that no descriptor holds) and drops
 * its sightings.
 */
final class EnginePrimer {
    private static final Logger LOG = LoggerFactory.getLogger(EnginePrimer.class);
    /** Enough for the interpreter to resolve every call site; JIT compilation follows real load. */
    static final int EXCHANGES = 64;

    private EnginePrimer() {}

    /**
     * @param scratchDir a directory this method may create, write and delete (inside the lease
     *     directory, which is known to be writable), or null to prime without a journal
     * @return exchanges that got an ACK (0 when the configuration answers nothing, e.g. proxy mode)
     */
    static int prime(DhcpServerConfig config, BootPolicy policy, Path scratchDir, long now) {
        BootPolicy quiet = new BootPolicy() {
            @Override
            public BootDecision decide(BootRequest request) {
                return policy.decide(request);
            }
        };
        int acked = 0;
        try (LeaseStore store = scratchDir == null ? LeaseStore.inMemory() : LeaseStore.open(scratchDir, now)) {
            DhcpEngine engine = new DhcpEngine(config, quiet, store, new DhcpStats()).warningsTo(w -> {});
            Ipv4 server = config.serverAddress();
            DhcpEngine.Inbound in = new DhcpEngine.Inbound(config.serverPort(), DhcpPacket.ZERO, 0, DhcpPacket.ZERO, 68);
            byte[] out = new byte[2048];
            for (int i = 0; i < EXCHANGES; i++) {
                byte[] mac = {0x02, 0x79, 0x6f, 0x6f, (byte) (i >> 8), (byte) i}; // locally administered: no NIC's
                DhcpEngine.Reply offer = engine.handle(decode(request(1, mac, 0, null)), in, now);
                if (offer == null) {
                    continue;
                }
                DhcpCodec.encode(offer.packet(), out, 0);
                int ip = offer.packet().yiaddr().value();
                DhcpEngine.Reply ack = engine.handle(decode(request(3, mac, ip, server)), in, now);
                if (ack != null) {
                    DhcpCodec.encode(ack.packet(), out, 0);
                    acked++;
                }
                store.flush(now);
                engine.handle(decode(request(7, mac, ip, server)), in, now);
            }
            store.flush(now);
        } catch (IOException | MalformedPacketException | RuntimeException e) {
            // priming only saves the first clients some milliseconds: never a reason not to start
            LOG.debug("DHCP priming stopped early: {}", e.toString());
        } finally {
            if (scratchDir != null) {
                deleteTree(scratchDir);
            }
        }
        return acked;
    }

    private static DhcpPacket decode(byte[] b) throws MalformedPacketException {
        return DhcpCodec.decode(b, 0, b.length);
    }

    /** A BOOTREQUEST as a client sends it: type 1 DISCOVER, 3 REQUEST, 7 RELEASE. */
    static byte[] request(int type, byte[] mac, int ip, Ipv4 server) {
        byte[] b = new byte[DhcpCodec.HEADER + 4 + 3 + 6 + 6 + 1];
        b[0] = 1; // BOOTREQUEST
        b[1] = 1; // Ethernet
        b[2] = 6;
        b[4] = 0x79;
        b[7] = mac[5];
        if (type == 7) {
            putInt(b, 12, ip); // ciaddr: RELEASE names the address it gives back
        }
        System.arraycopy(mac, 0, b, 28, 6);
        int o = DhcpCodec.HEADER;
        b[o++] = 99; b[o++] = (byte) 130; b[o++] = 83; b[o++] = 99; // magic cookie
        b[o++] = 53; b[o++] = 1; b[o++] = (byte) type;
        if (type == 3) {
            b[o++] = 50; b[o++] = 4; putInt(b, o, ip); o += 4;
        }
        if (type != 1 && server != null) {
            b[o++] = 54; b[o++] = 4; putInt(b, o, server.value()); o += 4;
        }
        b[o++] = (byte) 255;
        return Arrays.copyOf(b, o);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot clean {}: {}", dir, e.toString());
        }
    }
}
