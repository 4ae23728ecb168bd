package io.yoo.installer.dhcp.v6.codec;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A DHCP Unique Identifier (RFC 8415 section 11): the client's (option 1) or server's (option 2)
 * identity. Compared by its bytes; {@link #mac()} reads the link-layer address out of DUID-LLT
 * and DUID-LL with hardware type 1 (Ethernet), {@link #uuid()} the UUID of a DUID-UUID (RFC 6355;
 * UEFI firmware sends its SMBIOS UUID there).
 */
public final class Duid {
    public static final int LLT = 1;
    public static final int EN = 2;
    public static final int LL = 3;
    public static final int UUID = 4;

    private final byte[] bytes;

    public Duid(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public static Duid parseHex(String hex) {
        return new Duid(HexFormat.of().parseHex(hex.replace(":", "").replace("-", "")));
    }

    /** DUID-LL (type 3, hardware type 1) of a MAC: what a server without a stable identity uses. */
    public static Duid ll(MacAddress mac) {
        byte[] b = new byte[10];
        b[1] = LL;
        b[3] = 1;
        System.arraycopy(mac.toBytes(), 0, b, 4, 6);
        return new Duid(b);
    }

    public int type() {
        return bytes.length < 2 ? -1 : ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    }

    public Optional<MacAddress> mac() {
        int hwType = bytes.length < 4 ? -1 : ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        if (hwType != 1) {
            return Optional.empty();
        }
        if (type() == LL && bytes.length == 10) {
            return Optional.of(MacAddress.of(bytes, 4));
        }
        if (type() == LLT && bytes.length == 14) {
            return Optional.of(MacAddress.of(bytes, 8));
        }
        return Optional.empty();
    }

    public Optional<SmbiosUuid> uuid() {
        return type() == UUID && bytes.length == 18 ? Optional.of(SmbiosUuid.fromBytes(bytes, 2)) : Optional.empty();
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duid d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
