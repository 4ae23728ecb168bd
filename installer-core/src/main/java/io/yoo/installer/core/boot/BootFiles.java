package io.yoo.installer.core.boot;

/**
 * Which iPXE build each kind of firmware gets (names relative to the TFTP root / asset dir
 * {@code ipxe/}).
 *
 * @param bios         BIOS PXE (arch 0): {@code undionly.kpxe} uses the ROM's UNDI driver
 * @param efi          UEFI PXE (arch 7, 9): {@code snponly.efi} uses the firmware's SNP driver;
 *                     {@code ipxe.efi} brings its own drivers (for firmware with a broken SNP)
 * @param allowUnknown boot machines that are not in the descriptor (they get the chain script, then
 *                     the menu or discovery: {@code server.allowUnknown} or {@code server.discovery})
 */
public record BootFiles(String bios, String efi, boolean allowUnknown) {

    public static final BootFiles DEFAULT = new BootFiles("undionly.kpxe", "snponly.efi", false);

    public BootFiles withAllowUnknown(boolean allow) {
        return new BootFiles(bios, efi, allow);
    }

    public BootFiles withEfi(String file) {
        return new BootFiles(bios, file, allowUnknown);
    }
}
