package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/**
 * The operating system to install.
 *
 * @param channel    Flatcar channel: stable, beta, alpha, lts
 * @param version    Flatcar version, e.g. {@code 4081.2.0}
 * @param autologin  debug: console login without password in the live system
 * @param kernel     asset-relative path of a kernel to boot instead of Flatcar's PXE kernel
 *                   (custom images; the end-to-end tests boot a busybox test OS this way)
 * @param initrd     asset-relative path of the matching initrd
 * @param kernelArgs extra kernel arguments for every machine
 * @param secureBoot UEFI clients boot the signed shim → GRUB → kernel chain instead of iPXE
 *                   (machines may override it; see {@code SecureBootChain})
 * @param secureBootSubnets UEFI clients in these subnets boot that chain too: machines by their
 *                   {@code ip}, others by the relay address (giaddr) their request came through
 */
public record OsSettings(
        String channel,
        String version,
        ConfigDialect dialect,
        String installDisk,
        boolean autologin,
        Optional<String> kernel,
        Optional<String> initrd,
        List<String> kernelArgs,
        boolean secureBoot,
        List<Ipv4Cidr> secureBootSubnets) {

    public OsSettings {
        kernelArgs = List.copyOf(kernelArgs);
        secureBootSubnets = List.copyOf(secureBootSubnets);
    }

    /** Without Secure Boot. */
    public OsSettings(String channel, String version, ConfigDialect dialect, String installDisk, boolean autologin,
            Optional<String> kernel, Optional<String> initrd, List<String> kernelArgs) {
        this(channel, version, dialect, installDisk, autologin, kernel, initrd, kernelArgs, false, List.of());
    }
}
