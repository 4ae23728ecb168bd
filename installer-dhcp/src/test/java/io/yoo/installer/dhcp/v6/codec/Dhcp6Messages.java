package io.yoo.installer.dhcp.v6.codec;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Messages as clients and relays send them, built field by field (shared by codec, fuzz and engine tests). */
public final class Dhcp6Messages {
    private Dhcp6Messages() {}

    /** DUID-LLT (type 1, Ethernet, time 0x2b1e3c01) of 52:54:00:12:34:56, as dhclient -6 makes it. */
    public static final Duid CLIENT_LLT = Duid.parseHex("000100012b1e3c01525400123456");
    /** DUID-UUID (type 4) as EDK2/OVMF sends it. */
    public static final Duid CLIENT_UUID = Duid.parseHex("0004" + "8a7e0a4c1d2b4c3e9f10a1b2c3d4e5f6");

    public static Dhcp6Options.Builder solicitOptions(Duid client, int iaid) {
        return Dhcp6Options.builder().put(Dhcp6Option.CLIENTID, client.toBytes())
                .u16(Dhcp6Option.ELAPSED_TIME, 0)
                .put(Dhcp6Option.ORO, new byte[] {0, (byte) Dhcp6Option.DNS_SERVERS, 0, (byte) Dhcp6Option.BOOTFILE_URL})
                .iaNa(new IaNa(iaid, 0, 0, List.of(), Optional.empty()));
    }

    /** A SOLICIT of OVMF's IPv6 PXE: DUID-UUID, arch 7 (EFI x64), vendor class PXEClient, asks for 59. */
    public static Dhcp6Message.Client uefiSolicit() {
        return new Dhcp6Message.Client(Dhcp6MessageType.SOLICIT, 0x00abcdef, solicitOptions(CLIENT_UUID, 1)
                .u16(Dhcp6Option.CLIENT_ARCH_TYPE, 7)
                .vendorClass(343, List.of("PXEClient:Arch:00007:UNDI:003016"))
                .build());
    }

    /** The same from iPXE: user class {@code iPXE}, rapid commit. */
    public static Dhcp6Message.Client ipxeSolicit() {
        return new Dhcp6Message.Client(Dhcp6MessageType.SOLICIT, 0x000102, solicitOptions(CLIENT_LLT, 0x12345678)
                .strings(Dhcp6Option.USER_CLASS, List.of("iPXE"))
                .u16(Dhcp6Option.CLIENT_ARCH_TYPE, 7)
                .empty(Dhcp6Option.RAPID_COMMIT)
                .build());
    }

    /** {@code inner} relayed once: link fd00:98::1, peer fe80::5054:ff:fe12:3456, interface-id, option 79. */
    public static Dhcp6Message.Relay relayed(Dhcp6Message inner, String linkAddress) {
        Dhcp6Options o = Dhcp6Options.builder()
                .put(Dhcp6Option.INTERFACE_ID, "eth7".getBytes(StandardCharsets.US_ASCII))
                .put(Dhcp6Option.CLIENT_LINKLAYER_ADDR, HexFormat.of().parseHex("0001" + "525400abcdef"))
                .build();
        return new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_FORW, 0, Ipv6.parse(linkAddress),
                Ipv6.parse("fe80::5054:ff:feab:cdef"), o, inner);
    }

    /** {@code inner} wrapped {@code depth} times in relay messages (a nesting bomb past 8). */
    public static Dhcp6Message nested(Dhcp6Message inner, int depth) {
        Dhcp6Message m = inner;
        for (int i = 0; i < depth; i++) {
            m = new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_FORW, i, Ipv6.parse("fd00:98::1"), Ipv6.parse("fe80::1"),
                    Dhcp6Options.EMPTY, m);
        }
        return m;
    }
}
