package io.yoo.installer.ipmi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Fuzz;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Feeds arbitrary and mutated datagrams to every decoder: each must answer a value or an
 * {@link IpmiCodecException}/{@link RakpException}, never another exception. Cases per property:
 * 1000 by default, {@code -Dyoo.fuzz.tries=100000} for a long run; a failure prints the case seed
 * to replay it ({@code -Dyoo.fuzz.seed=S -Dyoo.fuzz.tries=1}). See {@link Fuzz}.
 */
class CodecFuzzTest {
    private static final int TRIES = 1000;
    private static final SessionCrypto CRYPTO3 = SessionCrypto.fromSik(CipherSuite.SUITE_3, new byte[20]);
    private static final SessionCrypto CRYPTO17 = SessionCrypto.fromSik(CipherSuite.SUITE_17, new byte[32]);
    /** Valid packets (IPMI 1.5, RMCP+ in both suites, plain and encrypted) for the mutating generator. */
    private static final byte[][] VALID = {
        Ipmi15Packet.encode(new byte[] {(byte) 0x81, 0x1C, 0x63, 0x20, 0x04, 0x01, 0x00, 0x7B}, 0, 0),
        new RmcpPlusPacket(PayloadType.IPMI, true, true, 1, 1, new byte[] {0x20, 0x18, (byte) 0xC8, (byte) 0x81, 0x04, 0x01, 0x7A}).encode(CRYPTO3),
        new RmcpPlusPacket(PayloadType.IPMI, false, true, 7, 2, new byte[] {0x20, 0x18}).encode(CRYPTO17),
        new RmcpPlusPacket(PayloadType.IPMI, true, true, -1, 65536, new byte[0]).encode(CRYPTO17),
    };

    /** Random bytes, a plausible RMCP header over random bytes, or a mutated valid packet. */
    static byte[] datagram(SplittableRandom r) {
        List<Function<SplittableRandom, byte[]>> sources = List.of(
                x -> Fuzz.bytes(x, 300),
                CodecFuzzTest::plausible,
                x -> Fuzz.mutate(x, Fuzz.oneOf(x, VALID)));
        return Fuzz.oneOf(r, sources);
    }

    /** Mostly well-formed headers so the fuzzing reaches past the first check. */
    static byte[] plausible(SplittableRandom r) {
        byte[] b = Fuzz.bytes(r, 200);
        byte[] p = new byte[b.length + 16];
        p[0] = 6;
        p[2] = (byte) 0xFF;
        p[3] = 7;
        p[4] = 6;
        System.arraycopy(b, 0, p, 5, Math.min(b.length, p.length - 5));
        if (b.length > 12) {
            p[14] = (byte) (b.length - 12);
            p[15] = 0;
        }
        return p;
    }

    @Test
    void rmcpPlusDecodeNeverThrowsUnexpectedly() {
        Fuzz.forAll(TRIES, CodecFuzzTest::datagram, d -> {
            for (SessionCrypto c : new SessionCrypto[] {null, CRYPTO3, CRYPTO17}) {
                try {
                    RmcpPlusPacket.decode(d, c);
                } catch (IpmiCodecException expected) {
                    // dropped and counted by the session
                }
            }
        });
    }

    @Test
    void ipmi15AndLanMessageDecodeNeverThrowUnexpectedly() {
        Fuzz.forAll(TRIES, CodecFuzzTest::datagram, d -> {
            try {
                IpmiLanMessage.decodeResponse(Ipmi15Packet.decode(d));
            } catch (IpmiCodecException expected) {
                // dropped
            }
            try {
                IpmiLanMessage.decodeResponse(d);
            } catch (IpmiCodecException expected) {
                // dropped
            }
        });
    }

    /**
     * Each handshake step gets a random answer that carries our tag and, half the time each, an
     * OK status and our console session id, so decoding reaches past the first checks. RAKP 2 is
     * fuzzed after a valid Open Session Response (the client never calls it earlier).
     */
    @Test
    void rakpAnswersNeverThrowUnexpectedly() {
        Fuzz.forEach(TRIES, r -> {
            for (CipherSuite s : CipherSuite.values()) {
                RakpHandshake open = handshake(s);
                try {
                    open.openSessionResponse(answer(r, open));
                } catch (IpmiCodecException | RakpException expected) {
                    // refused
                }
                RakpHandshake h = handshake(s);
                h.openSessionResponse(validOpenSessionResponse(r, h));
                try {
                    h.rakp2(answer(r, h));
                    h.rakp4(answer(r, h));
                } catch (IpmiCodecException | RakpException expected) {
                    // refused
                }
            }
        });
    }

    private static RakpHandshake handshake(CipherSuite s) {
        return new RakpHandshake(s, "admin", "secret", RakpHandshake.PRIV_ADMINISTRATOR);
    }

    private static byte[] answer(SplittableRandom r, RakpHandshake h) {
        byte[] request = h.openSessionRequest();
        byte[] p = Fuzz.bytes(r, 80);
        if (p.length > 0) {
            p[0] = request[0]; // right tag
        }
        if (p.length > 1 && r.nextBoolean()) {
            p[1] = 0; // status OK
        }
        if (p.length >= 8 && r.nextBoolean()) {
            System.arraycopy(request, 4, p, 4, 4); // our console session id
        }
        return p;
    }

    /** Tag, OK, console and BMC session ids, then the three algorithm payloads we asked for. */
    private static byte[] validOpenSessionResponse(SplittableRandom r, RakpHandshake h) {
        byte[] request = h.openSessionRequest();
        byte[] p = new byte[36];
        p[0] = request[0];
        System.arraycopy(request, 4, p, 4, 4);
        for (int i = 8; i < 12; i++) {
            p[i] = (byte) r.nextInt(256);
        }
        System.arraycopy(request, 8, p, 12, 24);
        return p;
    }

    @Test
    void protectedPacketsRoundTrip() {
        Fuzz.forEach(TRIES, r -> {
            byte[] payload = Fuzz.bytes(r, 120);
            int sid = Fuzz.anInt(r);
            int seq = Fuzz.anInt(r);
            boolean encrypt = r.nextBoolean();
            SessionCrypto c = r.nextBoolean() ? CRYPTO17 : CRYPTO3;
            String input = "payload " + HexFormat.of().formatHex(payload) + ", sid " + sid + ", seq " + seq + ", encrypt " + encrypt
                    + ", suite " + (c == CRYPTO17 ? 17 : 3);
            byte[] wire = new RmcpPlusPacket(PayloadType.IPMI, encrypt, true, sid, seq, payload).encode(c);
            RmcpPlusPacket back = RmcpPlusPacket.decode(wire, c);
            assertThat(back.payload()).as(input).isEqualTo(payload);
            assertThat(back.sessionId()).as(input).isEqualTo(sid);
            assertThat(back.sequence()).as(input).isEqualTo(seq);
            assertThat(back.encrypted()).as(input).isEqualTo(encrypt);
        });
    }

    @Test
    void anySingleBitFlipOfAProtectedPacketIsDetected() {
        Fuzz.forEach(TRIES, r -> {
            byte[] payload = Fuzz.bytes(r, 60);
            byte[] wire = new RmcpPlusPacket(PayloadType.IPMI, true, true, 1, 1, payload).encode(CRYPTO3);
            int i = Math.floorMod(Fuzz.anInt(r), (wire.length - 4) * 8) + 32; // past the RMCP header (not covered by the code)
            wire[i / 8] ^= (byte) (1 << (i % 8));
            try {
                RmcpPlusPacket.decode(wire, CRYPTO3);
                throw new AssertionError("bit " + i + " flipped and still accepted; payload " + HexFormat.of().formatHex(payload));
            } catch (IpmiCodecException expected) {
                // detected
            }
        });
    }
}
