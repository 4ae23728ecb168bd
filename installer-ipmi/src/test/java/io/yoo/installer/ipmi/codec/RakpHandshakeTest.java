package io.yoo.installer.ipmi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RakpHandshakeTest {

    /** The BMC's Open Session Response for {@code h} with the given algorithms. */
    static byte[] openSessionResponse(RakpHandshake h, CipherSuite s, int bmcSid) {
        byte[] req = h.openSessionRequest();
        byte[] p = new byte[36];
        p[0] = req[0];
        p[2] = 4;
        System.arraycopy(req, 4, p, 4, 4);
        p[8] = (byte) bmcSid;
        p[9] = (byte) (bmcSid >>> 8);
        p[10] = (byte) (bmcSid >>> 16);
        p[11] = (byte) (bmcSid >>> 24);
        System.arraycopy(req, 8, p, 12, 24);
        return p;
    }

    static RakpHandshake completed(CipherSuite s, String password) throws Exception {
        RakpHandshake h = new RakpHandshake(s, "admin", password, RakpHandshake.PRIV_ADMINISTRATOR);
        h.openSessionResponse(openSessionResponse(h, s, 0x01020304));
        byte[] rc = new byte[16];
        Arrays.fill(rc, (byte) 7);
        byte[] guid = new byte[16];
        Arrays.fill(guid, (byte) 9);
        h.rakp2(h.bmcRakp2For(password, rc, guid));
        h.rakp4(h.bmcRakp4());
        return h;
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void handshakeCompletesWhenBothSidesShareThePassword(CipherSuite s) throws Exception {
        RakpHandshake h = completed(s, "secret");
        assertThat(h.bmcSessionId()).isEqualTo(0x01020304);
        assertThat(h.crypto().suite()).isEqualTo(s);
        assertThat(h.rakp3()).hasSize(8 + s.hmacLength);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void wrongPasswordIsACredentialProblem(CipherSuite s) throws Exception {
        RakpHandshake h = new RakpHandshake(s, "admin", "secret", RakpHandshake.PRIV_ADMINISTRATOR);
        h.openSessionResponse(openSessionResponse(h, s, 5));
        assertThatThrownBy(() -> h.rakp2(h.bmcRakp2For("other", new byte[16], new byte[16])))
                .isInstanceOfSatisfying(RakpException.class, e -> assertThat(e.credentials()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void unauthorizedNameStatusIsACredentialProblem(CipherSuite s) throws Exception {
        RakpHandshake h = new RakpHandshake(s, "nobody", "x", RakpHandshake.PRIV_ADMINISTRATOR);
        h.openSessionResponse(openSessionResponse(h, s, 5));
        byte[] rakp2 = new byte[40 + s.hmacLength];
        rakp2[0] = h.rakp1()[0];
        rakp2[1] = RakpStatus.UNAUTHORIZED_NAME;
        assertThatThrownBy(() -> h.rakp2(rakp2)).isInstanceOfSatisfying(RakpException.class, e -> {
            assertThat(e.credentials()).isTrue();
            assertThat(e.getMessage()).contains("unauthorized name");
        });
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void otherAlgorithmsInTheAnswerAreRefused(CipherSuite s) throws Exception {
        RakpHandshake h = new RakpHandshake(s, "admin", "secret", RakpHandshake.PRIV_ADMINISTRATOR);
        byte[] p = openSessionResponse(h, s, 5);
        p[24] = 0; // integrity none
        assertThatThrownBy(() -> h.openSessionResponse(p)).isInstanceOf(RakpException.class).hasMessageContaining("other algorithms");
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void forgedRakp4IsRefused(CipherSuite s) throws Exception {
        RakpHandshake h = new RakpHandshake(s, "admin", "secret", RakpHandshake.PRIV_ADMINISTRATOR);
        h.openSessionResponse(openSessionResponse(h, s, 5));
        h.rakp2(h.bmcRakp2For("secret", new byte[16], new byte[16]));
        byte[] r4 = h.bmcRakp4();
        r4[9] ^= 1;
        assertThatThrownBy(() -> h.rakp4(r4)).isInstanceOf(RakpException.class);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void sessionPacketsRoundTripEncryptedAndAuthenticated(CipherSuite s) throws Exception {
        SessionCrypto crypto = completed(s, "secret").crypto();
        byte[] msg = IpmiLanMessage.encodeRequest(new IpmiRequest(0x06, 0x37, new byte[0]), 5);
        byte[] wire = new RmcpPlusPacket(PayloadType.IPMI, true, true, 0x11223344, 7, msg).encode(crypto);
        assertThat((wire.length - 4) % 4).isEqualTo(s.truncatedLength % 4);
        RmcpPlusPacket back = RmcpPlusPacket.decode(wire, crypto);
        assertThat(back.payload()).isEqualTo(msg);
        assertThat(back.sessionId()).isEqualTo(0x11223344);
        assertThat(back.sequence()).isEqualTo(7);
        wire[20] ^= 0x40; // flip a ciphertext bit
        assertThatThrownBy(() -> RmcpPlusPacket.decode(wire, crypto)).isInstanceOf(IpmiCodecException.class)
                .hasMessageContaining("integrity");
    }
}
