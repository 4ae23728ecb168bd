package io.yoo.installer.ipmi.command;

import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;
import java.util.HexFormat;

/**
 * Get System GUID (App 0x37): 16 bytes. BMCs return the SMBIOS system UUID in its wire layout
 * (first three fields little-endian), the very bytes PXE firmware sends in DHCP option 97.
 * {@code ipmitool mc guid dump} prints them undecoded ({@link #rawHex()}); {@code ipmitool mc guid
 * smbios}, ipmitool's default (auto) mode when it recognises the SMBIOS layout, and Linux's
 * {@code product_uuid} print {@link #uuid()}.
 */
public record SystemGuid(byte[] raw) {
    public SystemGuid {
        if (raw.length != 16) {
            throw new IllegalArgumentException("a GUID has 16 bytes, not " + raw.length);
        }
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public static IpmiRequest request() {
        return new IpmiRequest(0x06, 0x37, new byte[0]);
    }

    public static SystemGuid decode(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get System GUID", 16);
        byte[] g = new byte[16];
        System.arraycopy(d, 0, g, 0, 16);
        return new SystemGuid(g);
    }

    /** The SMBIOS UUID (as dmidecode, /sys/class/dmi/id/product_uuid and the descriptor write it). */
    public SmbiosUuid uuid() {
        return SmbiosUuid.fromWireGuid(raw, 0);
    }

    /** Upper-case hex as {@code ipmitool mc guid dump} prints it. */
    public String rawHex() {
        return HexFormat.of().withUpperCase().formatHex(raw);
    }

    @Override
    public String toString() {
        return uuid().toString();
    }
}
