package io.yoo.installer.ipmi.session;

import io.yoo.installer.ipmi.codec.CompletionCodes;
import io.yoo.installer.ipmi.codec.Ipmi15Packet;
import io.yoo.installer.ipmi.codec.IpmiCodecException;
import io.yoo.installer.ipmi.codec.IpmiLanMessage;
import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;
import io.yoo.installer.ipmi.codec.PayloadType;
import io.yoo.installer.ipmi.codec.RakpException;
import io.yoo.installer.ipmi.codec.RakpHandshake;
import io.yoo.installer.ipmi.codec.RmcpPlusPacket;
import io.yoo.installer.ipmi.codec.SequenceWindow;
import io.yoo.installer.ipmi.codec.SessionCrypto;
import io.yoo.installer.ipmi.command.ChannelAuthCapabilities;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RMCP+ session with one BMC: the I/O loop around the pure codec. Sends each request, waits
 * {@code timeout} for the matching answer, resends up to {@code retries} times, and drops (and
 * counts) anything that does not decode, fails its integrity check, replays an old sequence
 * number or answers another request. Not thread-safe: one caller at a time.
 */
public final class IpmiSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IpmiSession.class);

    private final IpmiClientConfig config;
    private final UdpLink link;
    private final AtomicLong dropped = new AtomicLong();
    private final SequenceWindow inbound = new SequenceWindow();
    private ChannelAuthCapabilities capabilities;
    private SessionCrypto crypto;
    private int bmcSessionId;
    private int consoleSessionId;
    private int outboundSeq;
    private int rqSeq;

    private IpmiSession(IpmiClientConfig config) throws IOException {
        this.config = config;
        this.link = new UdpLink(config.bmc());
    }

    /** Probes the BMC, runs RAKP 1-4 and raises the session to the configured privilege. */
    public static IpmiSession open(IpmiClientConfig config) throws IOException {
        IpmiSession s = new IpmiSession(config);
        try {
            s.establish();
            return s;
        } catch (IOException | RuntimeException e) {
            s.link.close();
            throw e;
        }
    }

    /** What the BMC said before the session (channel number, IPMI 2.0 support). */
    public ChannelAuthCapabilities capabilities() {
        return capabilities;
    }

    /** Datagrams dropped so far (malformed, forged, replayed, unrelated). */
    public long dropped() {
        return dropped.get();
    }

    private void establish() throws IOException {
        IpmiResponse caps = exchange(ChannelAuthCapabilities.request(config.privilege()), false);
        try {
            capabilities = ChannelAuthCapabilities.decode(caps);
        } catch (IpmiCommandException e) {
            throw new IpmiSessionException(e.getMessage());
        }
        if (!capabilities.ipmi20()) {
            throw new IpmiSessionException("BMC does not support IPMI 2.0 (RMCP+); IPMI 1.5 sessions are not implemented");
        }
        RakpHandshake h = new RakpHandshake(config.cipherSuite(), config.username(), config.password(), config.privilege());
        try {
            h.openSessionResponse(handshake(PayloadType.OPEN_SESSION_REQUEST, h.openSessionRequest(), PayloadType.OPEN_SESSION_RESPONSE));
            h.rakp2(handshake(PayloadType.RAKP_1, h.rakp1(), PayloadType.RAKP_2));
            h.rakp4(handshake(PayloadType.RAKP_3, h.rakp3(), PayloadType.RAKP_4));
        } catch (IpmiCodecException e) {
            throw new IpmiSessionException(config.bmc().getHostString() + ": malformed session setup answer: " + e.getMessage());
        } catch (RakpException e) {
            String msg = config.bmc().getHostString() + ": " + e.getMessage();
            throw e.credentials() ? new IpmiAuthenticationException(msg + " (user '" + config.username() + "')")
                    : new IpmiSessionException(msg);
        }
        crypto = h.crypto();
        bmcSessionId = h.bmcSessionId();
        consoleSessionId = h.consoleSessionId();
        IpmiResponse priv = execute(new IpmiRequest(0x06, 0x3B, new byte[] {(byte) config.privilege()}));
        if (!priv.ok()) {
            throw new IpmiAuthenticationException(config.bmc().getHostString() + ": Set Session Privilege Level "
                    + config.privilege() + " refused: " + CompletionCodes.describe(priv.completionCode()));
        }
        log.debug("{}: RMCP+ session {} open (suite {})", config.bmc(), Integer.toHexString(bmcSessionId), config.cipherSuite().id);
    }

    /** Sends one command in the session and returns the BMC's answer (any completion code). */
    public IpmiResponse execute(IpmiRequest request) throws IOException {
        if (crypto == null) {
            throw new IllegalStateException("session not established");
        }
        return exchange(request, true);
    }

    private IpmiResponse exchange(IpmiRequest request, boolean inSession) throws IOException {
        int seq = rqSeq = (rqSeq + 1) & 0x3F;
        byte[] message = IpmiLanMessage.encodeRequest(request, seq);
        return retrying(request.toString(), () -> {
            if (!inSession) {
                return Ipmi15Packet.encode(message, 0, 0);
            }
            outboundSeq = outboundSeq + 1 == 0 ? 1 : outboundSeq + 1; // 0 is reserved for outside a session
            return new RmcpPlusPacket(PayloadType.IPMI, true, true, bmcSessionId, outboundSeq, message).encode(crypto);
        }, datagram -> {
            try {
                byte[] m;
                if (inSession) {
                    RmcpPlusPacket p = RmcpPlusPacket.decode(datagram, crypto);
                    if (p.payloadType() != PayloadType.IPMI || p.sessionId() != consoleSessionId || !p.authenticated()
                            || !inbound.accept(p.sequence())) {
                        return null;
                    }
                    m = p.payload();
                } else {
                    if (Ipmi15Packet.isRmcpPlus(datagram)) {
                        return null;
                    }
                    m = Ipmi15Packet.decode(datagram);
                }
                IpmiResponse r = IpmiLanMessage.decodeResponse(m);
                return r.sequence() == seq && r.command() == request.command() && r.netFn() == request.netFn() ? r : null;
            } catch (IpmiCodecException e) {
                log.debug("{}: dropped datagram: {}", config.bmc(), e.getMessage());
                return null;
            }
        });
    }

    private byte[] handshake(int type, byte[] payload, int expectedType) throws IOException {
        byte[] datagram = RmcpPlusPacket.clear(type, payload).encode(null);
        return retrying("RMCP+ payload 0x" + Integer.toHexString(type), () -> datagram, d -> {
            try {
                RmcpPlusPacket p = RmcpPlusPacket.decode(d, null);
                return p.payloadType() == expectedType ? p.payload() : null;
            } catch (IpmiCodecException e) {
                log.debug("{}: dropped datagram: {}", config.bmc(), e.getMessage());
                return null;
            }
        });
    }

    @FunctionalInterface
    private interface Encoder {
        byte[] next();
    }

    /** Send, wait for a datagram {@code accept} turns into a result (null = not ours), resend on timeout. */
    private <T> T retrying(String what, Encoder encoder, Function<byte[], T> accept) throws IOException {
        long timeout = config.timeout().toMillis();
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            link.send(encoder.next());
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                byte[] d = link.receive(left);
                if (d == null) {
                    break;
                }
                T result = accept.apply(d);
                if (result != null) {
                    return result;
                }
                dropped.incrementAndGet();
            }
            log.debug("{}: no answer to {} (try {})", config.bmc(), what, attempt + 1);
        }
        throw new IpmiUnreachableException(config.bmc().getAddress().getHostAddress() + ":" + config.bmc().getPort()
                + ": no answer to " + what + " after " + (config.retries() + 1) + " tries of " + timeout + " ms");
    }

    /** Closes the session on the BMC (best effort: BMCs hold few session slots) and the socket. */
    @Override
    public void close() {
        try {
            if (crypto != null) {
                byte[] id = {(byte) bmcSessionId, (byte) (bmcSessionId >>> 8), (byte) (bmcSessionId >>> 16), (byte) (bmcSessionId >>> 24)};
                execute(new IpmiRequest(0x06, 0x3C, id));
            }
        } catch (IOException e) {
            log.debug("{}: close session: {}", config.bmc(), e.getMessage());
        } finally {
            crypto = null;
            link.close();
        }
    }
}
