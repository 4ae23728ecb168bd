package io.yoo.installer.core.render;

import io.yoo.installer.core.descriptor.OsSettings;

/**
 * Which kernel and initrd a machine boots in RAM, as paths inside the asset directory: Flatcar's
 * PXE pair for the configured channel and version, or the {@code os.kernel}/{@code os.initrd}
 * override (custom images, the end-to-end test OS).
 */
public record BootImage(String kernelPath, String initrdPath) {

    public static BootImage of(OsSettings os) {
        if (os.kernel().isPresent() && os.initrd().isPresent()) {
            return new BootImage(os.kernel().get(), os.initrd().get());
        }
        String dir = "flatcar/" + os.channel() + "/" + os.version() + "/";
        return new BootImage(dir + "flatcar_production_pxe.vmlinuz", dir + "flatcar_production_pxe_image.cpio.gz");
    }

    /** The initrd's file name, which an EFI kernel needs as {@code initrd=NAME} under iPXE. */
    public String initrdName() {
        return initrdPath.substring(initrdPath.lastIndexOf('/') + 1);
    }
}
