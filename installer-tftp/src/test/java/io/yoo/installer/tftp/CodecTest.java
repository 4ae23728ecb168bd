package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.tftp.codec.MalformedPacketException;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.negotiation.Negotiated;
import io.yoo.installer.tftp.negotiation.OptionNegotiator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesOvmfRequestWithOptionsInOrderAndLowerCased() throws Exception {
        TftpPacket p = TftpCodec.decode(b("\0\1snponly.efi\0OCTET\0TSize\0" + "0\0blksize\0" + "1468\0windowsize\0" + "4\0"));
        assertThat(p).isInstanceOf(TftpPacket.ReadRequest.class);
        TftpPacket.ReadRequest r = (TftpPacket.ReadRequest) p;
        assertThat(r.filename()).isEqualTo("snponly.efi");
        assertThat(r.mode()).isEqualTo("octet");
        assertThat(r.options()).containsExactly(Map.entry("tsize", "0"), Map.entry("blksize", "1468"), Map.entry("windowsize", "4"));
    }

    @Test
    void encodesDataAckErrorOack() throws Exception {
        assertThat(TftpCodec.encode(new TftpPacket.Ack(65535))).containsExactly(0, 4, 0xFF - 256, 0xFF - 256);
        assertThat(TftpCodec.encode(new TftpPacket.Error(1, "x"))).containsExactly(0, 5, 0, 1, 'x', 0);
        assertThat(TftpCodec.encode(new TftpPacket.OptionAck(ProtocolTest.orderedMap("blksize", "1468"))))
                .isEqualTo(b("\0\6blksize\0" + "1468\0"));
        TftpPacket.Data d = (TftpPacket.Data) TftpCodec.decode(TftpCodec.encode(new TftpPacket.Data(7, new byte[] {1, 2})));
        assertThat(d.block()).isEqualTo(7);
        assertThat(d.payload()).containsExactly(1, 2);
    }

    @Test
    void malformedPacketsNameTheField() {
        assertThatThrownBy(() -> TftpCodec.decode(new byte[] {0})).isInstanceOf(MalformedPacketException.class).hasMessageContaining("opcode");
        assertThatThrownBy(() -> TftpCodec.decode(new byte[] {0, 9})).hasMessageContaining("unknown opcode 9");
        assertThatThrownBy(() -> TftpCodec.decode(b("\0\1name"))).hasMessageContaining("filename: not terminated");
        assertThatThrownBy(() -> TftpCodec.decode(b("\0\1\0octet\0"))).hasMessageContaining("filename: empty");
        assertThatThrownBy(() -> TftpCodec.decode(b("\0\1f\0octet"))).hasMessageContaining("mode");
        assertThatThrownBy(() -> TftpCodec.decode(b("\0\1f\0octet\0blksize\0"))).hasMessageContaining("option blksize: value missing");
        assertThatThrownBy(() -> TftpCodec.decode(new byte[] {0, 4, 1})).hasMessageContaining("block number");
    }

    @Test
    void repeatedOptionKeepsTheFirstValue() throws Exception {
        TftpPacket.ReadRequest r = (TftpPacket.ReadRequest) TftpCodec.decode(b("\0\1f\0octet\0blksize\0" + "512\0BLKSIZE\0" + "9000\0"));
        assertThat(r.options()).containsExactly(Map.entry("blksize", "512"));
    }

    @Test
    void negotiationClampsAndAnswersTsize() {
        OptionNegotiator n = new OptionNegotiator(1468, 64, 1000);
        Negotiated ovmf = n.negotiate(ProtocolTest.orderedMap("tsize", "0", "blksize", "1468", "windowsize", "4"), 1234);
        assertThat(ovmf.acknowledged()).containsExactly(Map.entry("tsize", "1234"), Map.entry("blksize", "1468"), Map.entry("windowsize", "4"));
        assertThat(ovmf.blockSize()).isEqualTo(1468);
        assertThat(ovmf.windowSize()).isEqualTo(4);

        Negotiated big = n.negotiate(ProtocolTest.orderedMap("blksize", "65464", "windowsize", "1000", "timeout", "6"), 10);
        assertThat(big.acknowledged()).containsExactly(Map.entry("blksize", "1468"), Map.entry("windowsize", "64"), Map.entry("timeout", "6"));
        assertThat(big.timeoutMillis()).as("never slower than the server's own timeout").isEqualTo(1000);

        Negotiated odd = n.negotiate(ProtocolTest.orderedMap("blksize", "7", "windowsize", "0", "timeout", "256", "tsize", "x", "multicast", ""), 10);
        assertThat(odd.acknowledged()).isEmpty();
        assertThat(odd.blockSize()).isEqualTo(512);
        assertThat(odd.windowSize()).isEqualTo(1);
        assertThat(odd.needsOack()).isFalse();

        assertThat(n.negotiate(Map.of("tsize", "0"), 0).acknowledged()).as("curl rejects tsize 0").isEmpty();
    }
}
