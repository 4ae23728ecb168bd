package io.yoo.installer.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * DHCP payloads captured with tcpdump from ../shared/e2e/run-e2e.sh (stand-in dnsmasq, QEMU
 * SeaBIOS + iPXE ROM and OVMF), UDP headers stripped. Client 52:54:00:77:01:01, SMBIOS UUID
 * 4a1f3c2e-7b77-4e2a-9c1d-000000000101.
 */
final class CapturedPackets {
    private CapturedPackets() {}

    static final List<String> ALL = List.of(
            "bios-00-discover-ipxe", "bios-01-offer", "bios-02-request-ipxe", "bios-03-ack", "bios-04-discover",
            "bios-05-offer", "bios-06-request", "bios-07-ack", "uefi-00-discover", "uefi-01-offer", "uefi-02-request",
            "uefi-03-ack", "uefi-04-discover-ipxe", "uefi-05-offer", "uefi-06-request-ipxe", "uefi-07-ack",
            "uefi-08-discover", "uefi-09-offer", "uefi-10-request", "uefi-11-ack");

    static byte[] load(String name) {
        try (InputStream in = CapturedPackets.class.getResourceAsStream("/packets/" + name + ".bin")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource packets/" + name + ".bin");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
