package io.yoo.installer.dhcp.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The ARP codec: RFC 826 layout byte for byte, announcements per RFC 5227 section 3, and what it refuses. */
class ArpPacketTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final Ipv4 VIP = Ipv4.parse("10.79.0.50");

    @Test
    void an_announcement_request_is_who_has_vip_tell_vip_with_a_zero_target_mac() {
        byte[] b = ArpPacket.announcementRequest(MAC, VIP).encode();
        // htype 1, ptype 0800, hlen 6, plen 4, op 1, sha, spa, tha 0, tpa
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("0001" + "0800" + "06" + "04" + "0001" + "525400123456" + "0a4f0032"
                + "000000000000" + "0a4f0032");
    }

    @Test
    void an_announcement_reply_names_the_vip_at_our_mac_on_both_sides() {
        byte[] b = ArpPacket.announcementReply(MAC, VIP).encode();
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("000108000604" + "0002" + "525400123456" + "0a4f0032" + "525400123456" + "0a4f0032");
    }

    @Test
    void decode_reads_back_what_encode_wrote_and_tells_announcements_from_questions() {
        ArpPacket p = ArpPacket.announcementRequest(MAC, VIP);
        assertThat(ArpPacket.decode(p.encode(), 0, ArpPacket.LENGTH)).isEqualTo(p);
        assertThat(p.isGratuitous()).isTrue();
        ArpPacket question = new ArpPacket(ArpPacket.REQUEST, MAC, Ipv4.parse("10.79.0.1"), new MacAddress(0), VIP);
        assertThat(question.isGratuitous()).isFalse();
        byte[] padded = new byte[60]; // a frame's payload padded to the Ethernet minimum, at an offset
        System.arraycopy(question.encode(), 0, padded, 4, ArpPacket.LENGTH);
        assertThat(ArpPacket.decode(padded, 4, 56)).isEqualTo(question);
    }

    @Test
    void short_foreign_and_unknown_operation_packets_are_refused() {
        assertThatThrownBy(() -> ArpPacket.decode(new byte[27], 0, 27)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("28 bytes");
        byte[] ipv6ish = ArpPacket.announcementRequest(MAC, VIP).encode();
        ipv6ish[2] = (byte) 0x86;
        ipv6ish[3] = (byte) 0xdd;
        assertThatThrownBy(() -> ArpPacket.decode(ipv6ish, 0, 28)).hasMessageContaining("not Ethernet/IPv4 ARP");
        byte[] rarp = ArpPacket.announcementRequest(MAC, VIP).encode();
        rarp[7] = 3;
        assertThatThrownBy(() -> ArpPacket.decode(rarp, 0, 28)).hasMessageContaining("neither request (1) nor reply (2)");
        assertThatThrownBy(() -> ArpPacket.decode(new byte[28], 10, 28)).isInstanceOf(IllegalArgumentException.class);
    }
}
