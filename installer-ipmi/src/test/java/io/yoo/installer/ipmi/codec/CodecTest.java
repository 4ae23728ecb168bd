package io.yoo.installer.ipmi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void getChannelAuthCapabilitiesProbeIsByteForByteWhatIpmitoolSends() {
        // ipmitool -I lanplus -v: 06 00 ff 07 00 00000000 00000000 09 20 18 c8 81 00 38 8e 04 b5
        byte[] msg = IpmiLanMessage.encodeRequest(new IpmiRequest(0x06, 0x38, new byte[] {(byte) 0x8E, 4}), 0);
        assertThat(HEX.formatHex(Ipmi15Packet.encode(msg, 0, 0))).isEqualTo("0600ff07" + "00" + "00000000" + "00000000" + "09"
                + "2018c8" + "81" + "00" + "38" + "8e04" + "b5");
    }

    @Test
    void responseChecksumsAreVerified() throws Exception {
        byte[] m = IpmiLanMessage.encodeResponse(new IpmiResponse(0x06, 0x37, 3, 0, new byte[] {1, 2, 3}));
        IpmiResponse r = IpmiLanMessage.decodeResponse(m);
        assertThat(r.netFn()).isEqualTo(0x06);
        assertThat(r.sequence()).isEqualTo(3);
        assertThat(r.data()).containsExactly(1, 2, 3);
        m[8] ^= 1;
        assertThatThrownBy(() -> IpmiLanMessage.decodeResponse(m)).hasMessageContaining("checksum");
    }

    @Test
    void aesPaddingFollowsIpmiNotPkcs7() throws Exception {
        SessionCrypto c = SessionCrypto.fromSik(CipherSuite.SUITE_3, new byte[20]);
        byte[] iv = new byte[16];
        byte[] enc = c.encrypt(new byte[] {1, 2, 3}, iv);
        assertThat(enc).hasSize(32);
        assertThat(c.decrypt(enc)).containsExactly(1, 2, 3);
        byte[] fifteen = new byte[15];
        assertThat(c.encrypt(fifteen, iv)).hasSize(32); // 15 + pad length byte = one block, no pad bytes
        assertThat(c.decrypt(c.encrypt(fifteen, iv))).isEqualTo(fifteen);
    }

    @Test
    void sequenceWindowDropsReplaysAndStalePackets() {
        SequenceWindow w = new SequenceWindow();
        assertThat(w.accept(0)).isFalse();
        assertThat(w.accept(5)).isTrue();
        assertThat(w.accept(5)).isFalse();
        assertThat(w.accept(3)).isTrue();
        assertThat(w.accept(3)).isFalse();
        assertThat(w.accept(40)).isTrue();
        assertThat(w.accept(20)).isFalse();
        assertThat(w.accept(39)).isTrue();
    }

    @Test
    void protectedPacketOutsideASessionIsRefused() {
        byte[] wire = HEX.parseHex("0600ff07" + "06" + "c0" + "00000000" + "00000000" + "0000");
        assertThatThrownBy(() -> RmcpPlusPacket.decode(wire, null)).hasMessageContaining("outside an established session");
    }
}
