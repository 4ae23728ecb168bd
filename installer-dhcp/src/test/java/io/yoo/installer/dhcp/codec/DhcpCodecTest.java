package io.yoo.installer.dhcp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DhcpCodecTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:77:01:01");
    static final SmbiosUuid UUID = SmbiosUuid.parse("4a1f3c2e-7b77-4e2a-9c1d-000000000101");

    @Test
    void ipxeRomDiscoverFromSeabiosDecodesEveryPxeOption() throws Exception {
        DhcpPacket p = DhcpCodec.decode(CapturedPackets.load("bios-00-discover-ipxe"));
        assertThat(p.messageType()).contains(MessageType.DISCOVER);
        assertThat(p.mac()).contains(MAC);
        DhcpOptions o = p.options();
        assertThat(o.clientArch()).hasValue(0);
        assertThat(o.string(DhcpOption.VENDOR_CLASS)).contains("PXEClient:Arch:00000:UNDI:002001");
        assertThat(o.userClass()).contains("iPXE"); // the bare string, not RFC 3004 format
        assertThat(o.clientUuid()).contains(UUID); // option 97 had its first three fields swapped
        assertThat(o.clientNdi()).hasValueSatisfying(n -> assertThat(n).containsExactly(1, 2, 1));
        assertThat(o.u16(DhcpOption.MAX_MESSAGE_SIZE)).isPresent();
        assertThat(o.get(DhcpOption.CLIENT_ID).orElseThrow()).startsWith(1, 0x52, 0x54, 0x00, 0x77, 0x01, 0x01);
        assertThat(o.encapsulated(DhcpOption.IPXE_ENCAP)).isPresent();
        assertThat(o.codes()).startsWith(53, 57, 93, 94, 60, 77, 55, 175, 61, 97);
    }

    @Test
    void ovmfDiscoverSendsArch7AndNoClientId() throws Exception {
        DhcpOptions o = DhcpCodec.decode(CapturedPackets.load("uefi-00-discover")).options();
        assertThat(o.clientArch()).hasValue(7);
        assertThat(o.string(DhcpOption.VENDOR_CLASS)).contains("PXEClient:Arch:00007:UNDI:003000");
        assertThat(o.has(DhcpOption.CLIENT_ID)).isFalse();
        assertThat(o.userClass()).isEmpty();
        // the UEFI VM of the kit is machine ...0102
        assertThat(o.clientUuid()).contains(SmbiosUuid.parse("4a1f3c2e-7b77-4e2a-9c1d-000000000102"));
    }

    @Test
    void dnsmasqOfferCarriesIpxeNoProxyDhcpSubOption() throws Exception {
        DhcpPacket offer = DhcpCodec.decode(CapturedPackets.load("bios-01-offer"));
        assertThat(offer.messageType()).contains(MessageType.OFFER);
        assertThat(offer.yiaddr().toString()).startsWith("10.79.0.");
        assertThat(offer.options().ip(DhcpOption.SERVER_ID)).contains(Ipv4.parse("10.79.0.1"));
        assertThat(offer.options().encapsulated(DhcpOption.IPXE_ENCAP).orElseThrow().u8(DhcpOption.IPXE_NO_PXEDHCP, 0))
                .isEqualTo(1);
        assertThat(offer.options().u32(DhcpOption.LEASE_TIME)).hasValue(600);
    }

    @Test
    void everyCapturedPacketSurvivesARoundTrip() throws Exception {
        for (String name : CapturedPackets.ALL) {
            DhcpPacket a = DhcpCodec.decode(CapturedPackets.load(name));
            DhcpPacket b = DhcpCodec.decode(DhcpCodec.encode(a));
            assertThat(b.options().toString()).as(name).isEqualTo(a.options().toString());
            assertThat(b.xid()).isEqualTo(a.xid());
            assertThat(b.file()).isEqualTo(a.file());
            assertThat(b.yiaddr()).isEqualTo(a.yiaddr());
            assertThat(b.flags()).isEqualTo(a.flags());
            assertThat(b.chaddr()).isEqualTo(a.chaddr());
        }
    }

    @Test
    void overloadedFileAndSnameFieldsAreReadAsOptions() throws Exception {
        byte[] b = base(MessageType.DISCOVER);
        int i = DhcpCodec.MIN_LENGTH;
        i = opt(b, i, DhcpOption.OVERLOAD, 3);
        b[i] = (byte) 255;
        // file field (108) first, then sname (44), RFC 2131 4.1
        int f = opt(b, 108, DhcpOption.VENDOR_CLASS, 'P', 'X', 'E');
        b[f] = (byte) 255;
        int s = opt(b, 44, DhcpOption.CLIENT_ARCH, 0, 7);
        b[s] = (byte) 255;
        DhcpPacket p = DhcpCodec.decode(b);
        assertThat(p.options().string(DhcpOption.VENDOR_CLASS)).contains("PXE");
        assertThat(p.options().clientArch()).hasValue(7);
        assertThat(p.file()).isEmpty();
        assertThat(p.sname()).isEmpty();
    }

    @Test
    void repeatedOptionsAreConcatenatedAndLongOnesSplitOnEncode() throws Exception {
        byte[] b = base(MessageType.DISCOVER);
        int i = opt(b, DhcpCodec.MIN_LENGTH, DhcpOption.VENDOR_CLASS, 'a', 'b');
        i = opt(b, i, DhcpOption.VENDOR_CLASS, 'c');
        b[i] = (byte) 255;
        assertThat(DhcpCodec.decode(b).options().string(DhcpOption.VENDOR_CLASS)).contains("abc");

        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 'x');
        DhcpPacket p = DhcpCodec.decode(b);
        DhcpPacket r = p.reply(Ipv4.parse("10.0.0.5"), Ipv4.parse("10.0.0.1"), "f",
                DhcpOptions.builder().messageType(MessageType.OFFER).put(DhcpOption.BOOTFILE, big).build());
        DhcpPacket back = DhcpCodec.decode(DhcpCodec.encode(r));
        assertThat(back.options().length(DhcpOption.BOOTFILE)).isEqualTo(300);
        assertThat(back.op()).isEqualTo(DhcpPacket.BOOTREPLY);
        assertThat(back.file()).isEqualTo("f");
    }

    @Test
    void relayAgentLinkSelectionWinsOverSubnetSelection() throws Exception {
        byte[] b = base(MessageType.DISCOVER);
        int i = opt(b, DhcpCodec.MIN_LENGTH, DhcpOption.SUBNET_SELECTION, 10, 1, 0, 0);
        i = opt(b, i, DhcpOption.RELAY_AGENT_INFO, 1, 2, 'e', '0', 5, 4, 10, 2, 0, 0);
        b[i] = (byte) 255;
        DhcpOptions o = DhcpCodec.decode(b).options();
        assertThat(o.linkSelection()).contains(Ipv4.parse("10.2.0.0"));
        assertThat(o.encapsulated(DhcpOption.RELAY_AGENT_INFO).orElseThrow().string(DhcpOption.AGENT_CIRCUIT_ID)).contains("e0");
    }

    @Test
    void rfc3004UserClassIsUnwrapped() throws Exception {
        byte[] b = base(MessageType.DISCOVER);
        int i = opt(b, DhcpCodec.MIN_LENGTH, DhcpOption.USER_CLASS, 4, 'i', 'P', 'X', 'E');
        b[i] = (byte) 255;
        assertThat(DhcpCodec.decode(b).options().userClass()).contains("iPXE");
    }

    @Test
    void malformedPacketsAreRejectedWithAReason() {
        assertThatThrownBy(() -> DhcpCodec.decode(new byte[100])).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("too short");
        byte[] noCookie = base(MessageType.DISCOVER);
        noCookie[236] = 0;
        assertThatThrownBy(() -> DhcpCodec.decode(noCookie)).hasMessageContaining("cookie");
        byte[] overrun = base(MessageType.DISCOVER);
        overrun[DhcpCodec.MIN_LENGTH + 3] = 60;
        overrun[DhcpCodec.MIN_LENGTH + 4] = (byte) 200; // runs past the end
        assertThatThrownBy(() -> DhcpCodec.decode(Arrays.copyOf(overrun, 260))).hasMessageContaining("runs past");
        byte[] hlen = base(MessageType.DISCOVER);
        hlen[2] = 17;
        assertThatThrownBy(() -> DhcpCodec.decode(hlen)).hasMessageContaining("hlen");
        byte[] overload = base(MessageType.DISCOVER);
        opt(overload, DhcpCodec.MIN_LENGTH, DhcpOption.OVERLOAD, 9);
        assertThatThrownBy(() -> DhcpCodec.decode(overload)).hasMessageContaining("52");
    }

    @Test
    void optionTextNeverCarriesControlCharacters() throws Exception {
        byte[] b = base(MessageType.DISCOVER);
        int i = opt(b, DhcpCodec.MIN_LENGTH, DhcpOption.VENDOR_CLASS, 'a', '\n', 0x1b, 'b');
        b[i] = (byte) 255;
        assertThat(DhcpCodec.decode(b).options().string(DhcpOption.VENDOR_CLASS)).contains("a??b");
    }

    /** A minimal DISCOVER from 52:54:00:77:01:01 with only option 53, 400 bytes. */
    static byte[] base(MessageType t) {
        byte[] b = new byte[400];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[4] = 0x12;
        System.arraycopy(MAC.toBytes(), 0, b, 28, 6);
        b[236] = 99;
        b[237] = (byte) 130;
        b[238] = 83;
        b[239] = 99;
        int i = opt(b, DhcpCodec.MIN_LENGTH, DhcpOption.MESSAGE_TYPE, t.code());
        b[i] = (byte) 255;
        return b;
    }

    /** Writes an option at {@code i} (after option 53 when i is the options start); returns the next position. */
    static int opt(byte[] b, int i, int code, int... value) {
        if (i == DhcpCodec.MIN_LENGTH && code != DhcpOption.MESSAGE_TYPE) {
            i += 3; // keep option 53 of base()
        }
        b[i++] = (byte) code;
        b[i++] = (byte) value.length;
        for (int v : value) {
            b[i++] = (byte) v;
        }
        return i;
    }
}
