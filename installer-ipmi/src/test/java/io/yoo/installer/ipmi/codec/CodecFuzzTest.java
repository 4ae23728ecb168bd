package io.yoo.installer.ipmi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Feeds arbitrary and mutated datagrams to every decoder: each must answer a value or an
 * {@link IpmiCodecException}/{@link RakpException}, never another exception. Tries per property
 * come from {@code jqwik.tries.default} (short in CI; raise it with -Djqwik.tries=100000).
 */
class CodecFuzzTest {
    private static final SessionCrypto CRYPTO3 = SessionCrypto.fromSik(CipherSuite.SUITE_3, new byte[20]);
    private static final SessionCrypto CRYPTO17 = SessionCrypto.fromSik(CipherSuite.SUITE_17, new byte[32]);

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
        // mostly well-formed headers so the fuzzing reaches past the first check
        Arbitrary<byte[]> plausible = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(200).map(b -> {
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
        });
        return Arbitraries.oneOf(random, plausible);
    }

    @Property
    void rmcpPlusDecodeNeverThrowsUnexpectedly(@ForAll("datagrams") byte[] d) {
        for (SessionCrypto c : new SessionCrypto[] {null, CRYPTO3, CRYPTO17}) {
            try {
                RmcpPlusPacket.decode(d, c);
            } catch (IpmiCodecException expected) {
                // dropped and counted by the session
            }
        }
    }

    @Property
    void ipmi15AndLanMessageDecodeNeverThrowUnexpectedly(@ForAll("datagrams") byte[] d) {
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
    }

    @Property
    void rakpAnswersNeverThrowUnexpectedly(@ForAll @Size(max = 80) byte[] answer) {
        for (CipherSuite s : CipherSuite.values()) {
            RakpHandshake h = new RakpHandshake(s, "admin", "secret", RakpHandshake.PRIV_ADMINISTRATOR);
            byte[] p = answer.clone();
            if (p.length > 0) {
                p[0] = h.openSessionRequest()[0]; // right tag, so decoding goes further
            }
            try {
                h.openSessionResponse(p);
                h.rakp2(p);
                h.rakp4(p);
            } catch (IpmiCodecException | RakpException expected) {
                // refused
            }
        }
    }

    @Property
    void protectedPacketsRoundTrip(@ForAll @Size(max = 120) byte[] payload, @ForAll int sid, @ForAll int seq,
            @ForAll boolean encrypt, @ForAll boolean suite17) throws Exception {
        SessionCrypto c = suite17 ? CRYPTO17 : CRYPTO3;
        byte[] wire = new RmcpPlusPacket(PayloadType.IPMI, encrypt, true, sid, seq, payload).encode(c);
        RmcpPlusPacket back = RmcpPlusPacket.decode(wire, c);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(back.sessionId()).isEqualTo(sid);
        assertThat(back.sequence()).isEqualTo(seq);
        assertThat(back.encrypted()).isEqualTo(encrypt);
    }

    @Property
    void anySingleBitFlipOfAProtectedPacketIsDetected(@ForAll @Size(max = 60) byte[] payload, @ForAll int bit) throws Exception {
        byte[] wire = new RmcpPlusPacket(PayloadType.IPMI, true, true, 1, 1, payload).encode(CRYPTO3);
        int i = Math.floorMod(bit, (wire.length - 4) * 8) + 32; // past the RMCP header (not covered by the code)
        wire[i / 8] ^= (byte) (1 << (i % 8));
        try {
            RmcpPlusPacket.decode(wire, CRYPTO3);
            throw new AssertionError("bit " + i + " flipped and still accepted");
        } catch (IpmiCodecException expected) {
            // detected
        }
    }
}
