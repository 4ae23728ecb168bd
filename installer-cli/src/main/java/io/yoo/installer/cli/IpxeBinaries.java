package io.yoo.installer.cli;

import io.yoo.installer.core.boot.BootFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The iPXE boot programs TFTP hands to PXE firmware ({@code undionly.kpxe} for BIOS,
 * {@code snponly.efi} for UEFI; {@code ipxe.efi} for firmware with a broken SNP), and what to do
 * when they are missing: {@code yoo serve} still starts without them (a look at the UI, a server
 * whose machines boot over HTTP), says so once, and every machine that asks for one gets TFTP
 * "file not found" and a failed event naming the same fix.
 */
final class IpxeBinaries {
    /** The names a machine is sent to fetch over TFTP. */
    static final Set<String> NAMES = Set.of(BootFiles.DEFAULT.bios(), BootFiles.DEFAULT.efi(), "ipxe.efi");

    /** How to get them, in one sentence. */
    static final String FIX = "apt install ipxe (fills /usr/lib/ipxe), or point --tftp-root DIR at a directory with them, "
            + "or put them into the asset directory with `yoo assets add FILE --as ipxe/NAME`";

    private IpxeBinaries() {}

    static boolean isBootProgram(String name) {
        return NAMES.contains(name);
    }

    /** The one start-up warning when the TFTP root lacks the BIOS or the UEFI program; empty when both are there. */
    static Optional<String> warning(Path tftpRoot) {
        List<String> missing = List.of(BootFiles.DEFAULT.bios(), BootFiles.DEFAULT.efi()).stream()
                .filter(n -> !Files.isRegularFile(tftpRoot.resolve(n)))
                .toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String where = Files.isDirectory(tftpRoot) ? tftpRoot + " has no " + String.join(", no ", missing)
                : tftpRoot + " does not exist (no " + String.join(", no ", missing) + ")";
        return Optional.of("no iPXE boot programs: " + where + ". Machines cannot PXE-boot until they are there: " + FIX
                + ". Everything else is served.");
    }

    /** The text of a failed TFTP sighting: which file, where it was looked for, the fix. */
    static String missingFile(String name, Path tftpRoot) {
        return "tftp " + name + ": not found in " + tftpRoot + ", so this machine cannot boot. " + FIX;
    }
}
