package io.yoo.installer.dhcp.v6.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Dhcp6CodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesASolicitWrittenByHandFromRfc8415() throws Exception {
        // SOLICIT xid 0x0a0b0c, client id DUID-LL 52:54:00:12:34:56, elapsed 0, IA_NA iaid 1 with
        // a hint IAADDR fd00::5 (lifetimes 0), ORO 23 59, rapid commit, arch 7, user class "iPXE"
        String hex = "010a0b0c"
                + "0001000a" + "00030001525400123456"
                + "00080002" + "0000"
                + "00030028" + "00000001" + "00000000" + "00000000"
                + "00050018" + "fd000000000000000000000000000005" + "00000000" + "00000000"
                + "00060004" + "0017003b"
                + "000e0000"
                + "003d0002" + "0007"
                + "000f0006" + "0004" + "69505845";
        Dhcp6Message m = Dhcp6Codec.decode(HEX.parseHex(hex));
        Dhcp6Message.Client c = (Dhcp6Message.Client) m;
        assertThat(c.type()).isEqualTo(Dhcp6MessageType.SOLICIT);
        assertThat(c.transactionId()).isEqualTo(0x0a0b0c);
        Dhcp6Options o = c.options();
        assertThat(o.clientId().orElseThrow().type()).isEqualTo(Duid.LL);
        assertThat(o.clientId().orElseThrow().mac()).contains(MacAddress.parse("52:54:00:12:34:56"));
        assertThat(o.elapsed().getAsInt()).isZero();
        assertThat(o.requested()).containsExactly(23, 59);
        assertThat(o.rapidCommit()).isTrue();
        assertThat(o.clientArch().getAsInt()).isEqualTo(7);
        assertThat(o.userClasses()).containsExactly("iPXE");
        List<IaNa> ias = o.iaNas();
        assertThat(ias).hasSize(1);
        assertThat(ias.getFirst().iaid()).isEqualTo(1);
        assertThat(ias.getFirst().addresses()).extracting(IaAddress::address).containsExactly(Ipv6.parse("fd00::5"));
        // and back, byte for byte
        assertThat(HEX.formatHex(Dhcp6Codec.encode(m))).isEqualTo(hex);
    }

    @Test
    void vendorClassDuidLltAndUuidAndBootOptions() throws Exception {
        Dhcp6Options o = Dhcp6Options.builder()
                .vendorClass(343, List.of("PXEClient:Arch:00007:UNDI:003016"))
                .string(Dhcp6Option.BOOTFILE_URL, "tftp://[fd00::1]/snponly.efi")
                .strings(Dhcp6Option.BOOTFILE_PARAM, List.of("a", "b=c"))
                .status(Dhcp6Option.STATUS_NO_ADDRS_AVAIL, "none")
                .ips(Dhcp6Option.DNS_SERVERS, List.of(Ipv6.parse("fd00::53"))).build();
        Dhcp6Message m = Dhcp6Codec.decode(Dhcp6Codec.encode(new Dhcp6Message.Client(Dhcp6MessageType.REPLY, 7, o)));
        Dhcp6Options d = m.options();
        assertThat(d.vendorEnterprise().getAsInt()).isEqualTo(343);
        assertThat(d.vendorClasses()).containsExactly("PXEClient:Arch:00007:UNDI:003016");
        assertThat(d.bootFileUrl()).contains("tftp://[fd00::1]/snponly.efi");
        assertThat(d.bootFileParams()).containsExactly("a", "b=c");
        assertThat(d.status()).contains(new StatusCode(2, "none"));
        assertThat(d.dnsServers()).containsExactly(Ipv6.parse("fd00::53"));
        assertThat(Dhcp6Messages.CLIENT_LLT.mac()).contains(MacAddress.parse("52:54:00:12:34:56"));
        assertThat(Dhcp6Messages.CLIENT_UUID.uuid()).isPresent();
        assertThat(Dhcp6Messages.CLIENT_UUID.mac()).isEmpty();
    }

    @Test
    void relayForwardIsDecodedDownToTheClientMessage() throws Exception {
        Dhcp6Message m = Dhcp6Codec.decode(Dhcp6Codec.encode(Dhcp6Messages.relayed(Dhcp6Messages.uefiSolicit(), "fd00:98::1")));
        Dhcp6Message.Relay r = (Dhcp6Message.Relay) m;
        assertThat(r.linkAddress()).isEqualTo(Ipv6.parse("fd00:98::1"));
        assertThat(r.peerAddress().isLinkLocal()).isTrue();
        assertThat(r.options().interfaceId()).hasValueSatisfying(id -> assertThat(new String(id)).isEqualTo("eth7"));
        assertThat(r.options().clientLinkLayerMac()).contains(MacAddress.parse("52:54:00:ab:cd:ef"));
        assertThat(r.options().has(Dhcp6Option.RELAY_MSG)).as("option 9 is the decoded relayed message").isFalse();
        assertThat(r.relayed()).isEqualTo(Dhcp6Messages.uefiSolicit());
    }

    @Test
    void relayNestingIsBoundedAtTheHopCountLimit() throws Exception {
        Dhcp6Message eight = Dhcp6Messages.nested(Dhcp6Messages.uefiSolicit(), Dhcp6Codec.MAX_RELAY_DEPTH);
        assertThat(Dhcp6Codec.decode(Dhcp6Codec.encode(eight))).isEqualTo(eight);
        byte[] bomb = Dhcp6Codec.encode(Dhcp6Messages.nested(Dhcp6Messages.uefiSolicit(), 500));
        assertThatThrownBy(() -> Dhcp6Codec.decode(bomb)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("nested deeper than 8");
    }

    @Test
    void malformedInputIsRejectedWithMalformedPacketException() {
        String[] bad = {
            "",                                   // empty
            "0100",                               // shorter than the header
            "00000000",                           // type 0
            "01000000" + "0001",                  // option header cut
            "01000000" + "00010010" + "0003",     // option longer than the datagram
            "01000000" + "00080001" + "00",       // elapsed time of 1 byte
            "01000000" + "000e0001" + "00",       // rapid commit with a value
            "01000000" + "00030004" + "00000001", // IA_NA under 12 bytes
            "01000000" + "00030010" + "000000010000000000000000" + "00050000", // IAADDR under 24
            "01000000" + "000f0003" + "000569",   // user class datum runs past the option
            "01000000" + "00010001" + "00",       // DUID of 1 byte
            "0c00" + "00".repeat(32),             // relay without option 9
            "0c00" + "00".repeat(32) + "00090004" + "01000000" + "00090004" + "01000000", // two option 9
        };
        for (String h : bad) {
            assertThatThrownBy(() -> Dhcp6Codec.decode(HEX.parseHex(h))).as(h).isInstanceOf(MalformedPacketException.class);
        }
    }

    @Test
    void ipv6ParsesAndPrints() {
        // the RFC 5952 cases are Ipv6TextTest's (installer-api); here only that toString writes them
        assertThat(Ipv6.parse("fd00:0:0:0:0:0:0:1")).hasToString("fd00::1");
        assertThat(Ipv6.parse("2001:0:0:1:0:0:0:1")).hasToString("2001:0:0:1::1");
        assertThat(Ipv6.parse("fe80::1").isLinkLocal()).isTrue();
        assertThat(Ipv6.parse("fd00::1").inPrefix(Ipv6.parse("fd00::"), 64)).isTrue();
        assertThat(Ipv6.parse("fd00:0:0:1::1").inPrefix(Ipv6.parse("fd00::"), 64)).isFalse();
        assertThat(Optional.of(Ipv6.parse("[fd00::2]"))).contains(Ipv6.parse("fd00::2"));
    }
}
