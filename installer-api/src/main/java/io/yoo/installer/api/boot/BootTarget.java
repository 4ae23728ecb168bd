package io.yoo.installer.api.boot;

import io.yoo.installer.api.net.Ipv4;

/** What a machine should boot next. */
public sealed interface BootTarget {

    /** Give no boot file (unknown or not-allowed machine; or not a PXE client at all). */
    record None(String reason) implements BootTarget {}

    /** Boot from the local disk: the machine is installed and not asked to reprovision. */
    record LocalDisk() implements BootTarget {}

    /** Fetch a network bootstrap program over TFTP (e.g. {@code undionly.kpxe}). */
    record TftpFile(Ipv4 server, String file) implements BootTarget {}

    /**
     * Fetch over HTTP: an iPXE script for iPXE clients, an EFI binary for UEFI HTTP Boot.
     *
     * @param echoVendorClass UEFI HTTP Boot needs option 60 {@code HTTPClient} in the reply
     */
    record HttpUrl(String url, boolean echoVendorClass) implements BootTarget {}
}
