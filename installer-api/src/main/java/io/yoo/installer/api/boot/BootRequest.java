package io.yoo.installer.api.boot;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a booting machine told us about itself in a DHCP request, already decoded. Protocol
 * modules build this; {@link BootPolicy} decides on it without knowing about sockets.
 *
 * @param mac         client hardware address (chaddr)
 * @param uuid        option 97 as sent on the wire, decoded with {@link SmbiosUuid#fromWireGuid};
 *                    matching also tries the unswapped reading
 * @param arch        option 93 client system architecture (0 BIOS, 7/9 EFI x64, 16 EFI x64 HTTP)
 * @param vendorClass option 60, e.g. {@code PXEClient:Arch:00007:UNDI:003000} or {@code HTTPClient...}
 * @param userClass   option 77; iPXE sends the bare string {@code iPXE}
 * @param relay       giaddr when the request came through a relay agent
 * @param receivedOn  address of the local interface the request arrived on, when known
 */
public record BootRequest(
        MacAddress mac,
        Optional<SmbiosUuid> uuid,
        OptionalInt arch,
        Optional<String> vendorClass,
        Optional<String> userClass,
        Optional<Ipv4> relay,
        Optional<Ipv4> receivedOn) {

    /** True when the request comes from iPXE (already chainloaded): option 77 = "iPXE". */
    public boolean isIpxe() {
        return userClass.map("iPXE"::equals).orElse(false);
    }

    /** True when the client is PXE or HTTP-boot firmware (option 60 starts PXEClient/HTTPClient). */
    public boolean isNetworkBootFirmware() {
        return vendorClass.map(v -> v.startsWith("PXEClient") || v.startsWith("HTTPClient")).orElse(false);
    }

    public boolean isHttpBootClient() {
        return vendorClass.map(v -> v.startsWith("HTTPClient")).orElse(false);
    }
}
