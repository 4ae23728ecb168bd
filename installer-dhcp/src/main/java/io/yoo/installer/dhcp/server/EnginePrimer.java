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
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs DISCOVER/REQUEST/RELEASE exchanges through a scratch engine and a scratch lease store
 * before the server answers anyone. Why: the first real packet used to pay for loading and
 * linking the whole answer path (codec, engine, record and lambda bootstraps, string
 * concatenation, the journal): measured 50-100 ms for the first DISCOVERs after start, which was
 * the whole p99 of a 10 s probe at 1,000 DORA/s. Nothing here is seen by clients, the real lease
 * table or the policy's observers: the scratch engine asks the policy only {@code decide} (a
 * question, for a MAC from the locally administered range that no descriptor holds) and drops
 * its sightings. The exchanges here call the engine directly; the socket path (recvmmsg/sendmmsg,
 * the server's threads) is compiled by the {@link LoopbackRehearsal} that the first server of a
 * process runs alongside them.
 */
final class EnginePrimer {
    private static final Logger LOG = LoggerFactory.getLogger(EnginePrimer.class);
    /** Enough for the interpreter to resolve every call site (every server start does this many). */
    static final int EXCHANGES = 64;
    /**
     * The first server of a process runs at least this many, enough for C2 (Tier4 thresholds: 5,000
     * calls, or 15,000 calls + loop iterations) to compile the socket path, codec and engine, and
     * goes on until the compiler falls quiet. Why: with the server confined to one CPU (the DHCP
     * benchmark pins it; so does a small VM) a compilation running while packets arrive holds that
     * CPU for a scheduler slice. Measured in a 10 s probe at 1,000 DORA/s: DISCOVER-OFFER p99 2.9 ms
     * with 64 exchanges (stalls of 3-7 ms, 1.5 % of the exchanges, throughout the probe), 0.57 ms
     * with C2 switched off. Costs the first start of a process about a second; later servers (tests,
     * reloads) find the code compiled.
     */
    static final int JIT_EXCHANGES = 12_000;
    /** ... then until the compile queues stay empty (three checks in a row), at most this long. */
    private static final long JIT_MAX_NS = 4_000_000_000L;
    private static final AtomicBoolean COMPILED = new AtomicBoolean();

    private EnginePrimer() {}

    /** Primes deeply when this is the first server of the process, else briefly. */
    static int prime(DhcpServerConfig config, BootPolicy policy, Path scratchDir, long now) {
        return prime(config, policy, scratchDir, now, COMPILED.compareAndSet(false, true));
    }

    /**
     * @param scratchDir a directory this method may create, write and delete (inside the lease
     *     directory, which is known to be writable), or null to prime without a journal
     * @param compile run until the JIT has compiled the answer path (see {@link #JIT_EXCHANGES})
     * @return exchanges that got an ACK (0 when the configuration answers nothing, e.g. proxy mode)
     */
    static int prime(DhcpServerConfig config, BootPolicy policy, Path scratchDir, long now, boolean compile) {
        BootPolicy quiet = new BootPolicy() {
            @Override
            public BootDecision decide(BootRequest request) {
                return policy.decide(request);
            }
        };
        if (compile) {
            COMPILED.set(true); // the rehearsal's own scratch server must not rehearse again
        }
        int acked = 0;
        try (LeaseStore store = scratchDir == null ? LeaseStore.inMemory() : LeaseStore.open(scratchDir, now);
                LoopbackRehearsal rehearsal = compile ? LoopbackRehearsal.open(config, quiet,
                        scratchDir == null ? null : scratchDir.resolve("rehearsal")).orElse(null) : null) {
            DhcpEngine engine = new DhcpEngine(config, quiet, store, new DhcpStats()).warningsTo(w -> {});
            Exchange x = new Exchange(engine, store, config.serverAddress(),
                    config.subnets().isEmpty() ? null : config.subnets().getFirst().cidr().firstHost(),
                    config.serverPort(), now);
            long start = System.nanoTime();
            int idleChecks = 0;
            int i = 0;
            while (true) {
                for (int end = i + EXCHANGES; i < end; i++) {
                    acked += x.run(i);
                }
                if (rehearsal != null) {
                    for (int b = 0; b < 4; b++) {
                        acked += rehearsal.exchangeBatch();
                    }
                }
                if (!compile) {
                    break;
                }
                // keep calling while waiting: C2 drops a queued task whose method stopped being called
                idleChecks = i >= JIT_EXCHANGES && JitQueue.idle() ? idleChecks + 1 : 0;
                if (idleChecks >= 3 || System.nanoTime() - start >= JIT_MAX_NS) {
                    break;
                }
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

    /**
     * One scratch client's DISCOVER, REQUEST and RELEASE in one of the shapes real clients send
     * (bare, perfdhcp-like, PXE ROM, iPXE; every other one relayed): C2 compiles from what it has
     * seen, and a shape first met under load means a trap, a recompilation and a stall then.
     */
    private record Exchange(DhcpEngine engine, LeaseStore store, Ipv4 server, Ipv4 relay, int port, long now) {
        int run(int i) throws IOException, MalformedPacketException {
            byte[] mac = {0x02, 0x79, 0x6f, 0x6f, (byte) (i >> 8), (byte) i}; // locally administered: no NIC's
            int shape = i % 4;
            Ipv4 via = (i & 4) == 0 ? null : relay;
            // as the socket reports it: arrived on an interface, for our address, from a relay or a client
            DhcpEngine.Inbound in = via == null ? new DhcpEngine.Inbound(port, server, 1, DhcpPacket.ZERO, 68)
                    : new DhcpEngine.Inbound(port, server, 1, via, 67);
            DhcpEngine.Reply offer = engine.handle(receive(request(1, mac, 0, null, shape, via)), in, now);
            if (offer == null) {
                return 0;
            }
            int ip = offer.packet().yiaddr().value();
            DhcpEngine.Reply ack = engine.handle(receive(request(3, mac, ip, server, shape, via)), in, now);
            store.flush(now);
            engine.handle(receive(request(7, mac, ip, server, shape, null)),
                    new DhcpEngine.Inbound(port, server, 1, new Ipv4(ip), 68), now);
            return ack == null ? 0 : 1;
        }

        private static DhcpPacket receive(byte[] b) throws MalformedPacketException {
            return DhcpCodec.decode(b, 0, b.length);
        }
    }

    /**
     * Whether the JIT has nothing compiling or queued, asked through the {@code compilerQueue}
     * diagnostic command (what {@code jcmd PID Compiler.queue} prints): the compile-time counter
     * only moves when a compilation ends, so a long one looks like a quiet compiler.
     */
    static final class JitQueue {
        /** A queued task ("1741   4   java.lang.String::...") or one being compiled ("C2 CompilerThread0  1801  4 ..."). */
        private static final Pattern TASK = Pattern.compile("(?m)^\\s*\\d+\\s+[%s!bn ]*[0-4]\\s|CompilerThread\\d+\\s+\\d+\\s");

        private JitQueue() {}

        /** Whether {@code compilerQueue}'s text lists no task. */
        static boolean idle(String compilerQueue) {
            return !TASK.matcher(compilerQueue).find();
        }

        /** True when idle, and true where the JVM cannot tell (nothing to wait for then). */
        static boolean idle() {
            try {
                Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerQueue",
                        new Object[] {null}, new String[] {String[].class.getName()});
                return !(text instanceof String s) || idle(s);
            } catch (JMException | RuntimeException e) {
                return true;
            }
        }
    }

    /**
     * A BOOTREQUEST as a client sends it: type 1 DISCOVER, 3 REQUEST, 7 RELEASE; shape 0 bare,
     * 1 perfdhcp-like (parameter list), 2 a PXE ROM, 3 iPXE; relayed when {@code relay}
     * is not null (giaddr, one hop).
     */
    static byte[] request(int type, byte[] mac, int ip, Ipv4 server, int shape, Ipv4 relay) {
        byte[] b = new byte[DhcpCodec.HEADER + 128];
        b[0] = 1; // BOOTREQUEST
        b[1] = 1; // Ethernet
        b[2] = 6;
        b[4] = 0x79;
        b[7] = mac[5];
        if (type == 7) {
            putInt(b, 12, ip); // ciaddr: RELEASE names the address it gives back
        }
        if (relay != null) {
            b[3] = 1;
            putInt(b, 24, relay.value());
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
        if (shape == 1) {
            o = put(b, o, 55, new byte[] {1, 28, 2, 3, 15, 6, 12});
        } else if (shape >= 2) {
            o = put(b, o, 57, new byte[] {0x04, (byte) 0xec});
            o = put(b, o, 93, new byte[] {0, (byte) (shape == 2 ? 0 : 7)});
            o = put(b, o, 94, new byte[] {1, 2, 1});
            o = put(b, o, 97, new byte[] {0, 0x79, 0x6f, 0x6f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, mac[4], mac[5]});
            o = put(b, o, 60, "PXEClient:Arch:00000:UNDI:002001".getBytes(StandardCharsets.US_ASCII));
            o = put(b, o, 55, new byte[] {1, 3, 6, 43, 60, 66, 67, (byte) 175});
            if (shape == 3) {
                o = put(b, o, 61, new byte[] {1, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]});
                o = put(b, o, 77, "iPXE".getBytes(StandardCharsets.US_ASCII));
            }
        }
        b[o++] = (byte) 255;
        return Arrays.copyOf(b, o);
    }

    private static int put(byte[] b, int o, int code, byte[] value) {
        b[o] = (byte) code;
        b[o + 1] = (byte) value.length;
        System.arraycopy(value, 0, b, o + 2, value.length);
        return o + 2 + value.length;
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
