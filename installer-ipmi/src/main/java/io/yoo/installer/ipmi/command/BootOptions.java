package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/**
 * Set/Get System Boot Options (Chassis 0x08/0x09), parameter 5 "boot flags" (IPMI 2.0 table
 * 28-14): byte 1 = valid(7) | persistent(6) | EFI(5), byte 2 = device selector in bits 5:2.
 *
 * @param persistent apply to all future boots (else only the next one)
 * @param efi        request an EFI boot (else legacy BIOS)
 */
public record BootOptions(BootDevice device, boolean persistent, boolean efi) {
    static final int PARAM_BOOT_FLAGS = 5;

    public enum BootDevice {
        NONE(0x0), PXE(0x1), DISK(0x2), CDROM(0x5), BIOS_SETUP(0x6);

        final int selector;

        BootDevice(int selector) {
            this.selector = selector;
        }

        static BootDevice of(int selector) {
            for (BootDevice d : values()) {
                if (d.selector == selector) {
                    return d;
                }
            }
            return NONE;
        }
    }

    public IpmiRequest request() {
        int flags = 0x80 | (persistent ? 0x40 : 0) | (efi ? 0x20 : 0);
        return new IpmiRequest(0x00, 0x08, new byte[] {PARAM_BOOT_FLAGS, (byte) flags, (byte) (device.selector << 2), 0, 0, 0});
    }

    public static void checkSet(IpmiResponse r) throws IpmiCommandException {
        Responses.data(r, "Set System Boot Options", 0);
    }

    public static IpmiRequest getRequest() {
        return new IpmiRequest(0x00, 0x09, new byte[] {PARAM_BOOT_FLAGS, 0, 0});
    }

    /** Decodes Get System Boot Options for parameter 5. */
    public static BootOptions decode(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get System Boot Options", 4);
        int flags = d[2] & 0xFF;
        // the device is reported even with the valid bit clear: ipmi_sim and some BMCs keep only the device
        BootDevice dev = BootDevice.of((d[3] >>> 2) & 0x0F);
        return new BootOptions(dev, (flags & 0x40) != 0, (flags & 0x20) != 0);
    }
}
