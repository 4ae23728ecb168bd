package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The boot path for UEFI Secure Boot machines: firmware → {@code shimx64.efi} (signed by
 * Microsoft's UEFI CA) → {@code grubx64.efi} (Debian's signed GRUB network image, which shim
 * checks against the Debian CA it carries) → a signed kernel (GRUB hands it to shim to check),
 * with the initrd and kernel command line Yoo renders for GRUB. iPXE is not in this chain: the
 * firmware refuses unsigned {@code snponly.efi}.
 *
 * <p>What the signed binaries do, measured with Debian 12's shim-signed 1.51 (shim 16.1) and
 * grub-efi-amd64-signed 2.06-13+deb12u2 under OVMF with Secure Boot enforced:
 * <ul>
 *   <li>shim fetches {@value #GRUB} by TFTP from the <em>root</em> of the TFTP server that
 *       sent it (also when the boot file was {@code sub/shimx64.efi}), and asks for the
 *       optional {@code revocations_sku.efi}, {@code revocations_sbat.efi},
 *       {@code shim_certificate_0.efi} first ("not found" is fine). Under UEFI HTTP boot it
 *       fetches {@value #GRUB} from the directory of its own URL.</li>
 *   <li>{@code grubnetx64.efi.signed} has the built-in prefix {@value #GRUB_PREFIX} and an
 *       embedded config that sources {@code $prefix/grub.cfg}; with PXE the prefix device is
 *       {@code (tftp,SERVER)}, so it reads TFTP {@code grub/grub.cfg}, which Yoo renders (it sends
 *       each {@code $net_default_mac} to the machine's {@code grub/grub.cfg-01-MAC}).</li>
 *   <li>That image has no {@code http} module (and under Secure Boot it loads none), so the
 *       kernel and initrd come over TFTP too: {@code (tftp,SERVER)/assets/PATH}, served from the
 *       verified asset mirror by {@link SecureBootFiles}.</li>
 * </ul>
 */
public final class SecureBootChain {
    /** What the firmware loads (TFTP root name; the asset mirror keeps it under {@value #ASSET_DIR}). */
    public static final String SHIM = "shimx64.efi";
    /** The name shim loads next: Debian's signed GRUB network image ({@code grubnetx64.efi.signed}). */
    public static final String GRUB = "grubx64.efi";
    /** shim's MOK manager, which it starts when a MOK change is pending. */
    public static final String MOK_MANAGER = "mmx64.efi";
    /** The signed GRUB's built-in prefix, relative to the TFTP root: where it reads grub.cfg. */
    public static final String GRUB_PREFIX = "grub";
    /** Directory of the chain in the asset mirror ({@code yoo assets add FILE --as secureboot/NAME}). */
    public static final String ASSET_DIR = "secureboot/";
    /** Where GRUB fetches the kernel and initrd over TFTP: {@code assets/PATH} = the mirror's PATH. */
    public static final String TFTP_ASSETS = "assets/";

    /** The chain's files in boot order. */
    public static final List<String> FILES = List.of(SHIM, GRUB, MOK_MANAGER);

    /** Debian's packages (shim-signed, shim-helpers-amd64-signed, grub-efi-amd64-signed). */
    public static final Map<String, Path> SYSTEM_FILES = Map.of(
            SHIM, Path.of("/usr/lib/shim/shimx64.efi.signed"),
            GRUB, Path.of("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"),
            MOK_MANAGER, Path.of("/usr/lib/shim/mmx64.efi.signed"));

    private SecureBootChain() {}

    /**
     * True when {@code machine} boots the signed chain: its own {@code secureBoot} if set, else
     * the cluster's {@code os.secureBoot} (which also covers machines not in the descriptor).
     */
    public static boolean wanted(ClusterDescriptor d, Optional<Machine> machine) {
        return wanted(d, machine, Optional.empty());
    }

    /**
     * @param relay the relay address (giaddr) the request came through, if any: a client not in
     *              the descriptor is in {@code os.secureBootSubnets} by that
     * @return the machine's own {@code secureBoot} if set; else true with {@code os.secureBoot},
     *         or when the machine's address (a stranger's relay address) is in {@code os.secureBootSubnets}
     */
    public static boolean wanted(ClusterDescriptor d, Optional<Machine> machine, Optional<Ipv4> relay) {
        Optional<Boolean> own = machine.flatMap(m -> m.overrides().secureBoot());
        if (own.isPresent()) {
            return own.get();
        }
        if (d.os().secureBoot()) {
            return true;
        }
        // an IPv6-only machine has no IPv4 address to be in a secureBootSubnets range
        Optional<Ipv4> where = machine.isPresent() ? machine.get().ipv4() : relay;
        return where.isPresent() && d.os().secureBootSubnets().stream().anyMatch(s -> s.contains(where.get()));
    }

    /** {@link #wanted} for one descriptor, as the boot file selector asks it. */
    public static BiPredicate<BootRequest, Optional<Machine>> policy(ClusterDescriptor d) {
        return (req, m) -> wanted(d, m, req.relay());
    }

    /**
     * What UEFI firmware (not iPXE) of a Secure Boot machine boots: shim over TFTP for UEFI PXE
     * (arch 7, 9), shim's URL in the asset mirror for UEFI HTTP boot (arch 16 / HTTPClient);
     * empty for BIOS and other architectures (they take the usual path).
     */
    public static Optional<BootTarget> firmwareTarget(BootRequest req, Ipv4 tftpServer, BootUrls urls) {
        int arch = req.arch().orElse(0);
        if (req.isHttpBootClient() || arch == 16) {
            return Optional.of(new BootTarget.HttpUrl(urls.asset(ASSET_DIR + SHIM), true));
        }
        if (arch == 7 || arch == 9) {
            return Optional.of(new BootTarget.TftpFile(tftpServer, SHIM));
        }
        return Optional.empty();
    }

    /** The GRUB device of the TFTP server that the kernel and initrd come from. */
    public static String grubTftpDevice(Ipv4 server) {
        return "(tftp," + server + ")";
    }

    /**
     * What a machine's history says for a TFTP transfer (the UI shows it): for the chain's files
     * which link of the Secure Boot chain it fetched, else the usual {@code tftp FILE}.
     */
    public static String sightingText(String file) {
        String f = file.startsWith("/") ? file.substring(1) : file;
        return switch (f) {
            case SHIM -> "tftp " + f + ": Secure Boot chain (shim -> signed GRUB -> signed kernel), not iPXE";
            case GRUB -> "tftp " + f + ": Secure Boot chain, shim loaded the signed GRUB";
            case MOK_MANAGER -> "tftp " + f + ": Secure Boot chain, shim started its MOK manager";
            default -> f.startsWith(TFTP_ASSETS) ? "tftp " + f + ": Secure Boot chain, signed GRUB loaded it over TFTP" : "tftp " + f;
        };
    }

    /** True when {@code bootFile} (a TFTP name from a sighting) is a file of this chain. */
    public static boolean isChainFile(String bootFile) {
        String f = bootFile.startsWith("/") ? bootFile.substring(1) : bootFile;
        return FILES.contains(f);
    }
}
