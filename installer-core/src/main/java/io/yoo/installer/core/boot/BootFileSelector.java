package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.MachineState;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * "What does this client boot next?" — pure, from what the client said (firmware, architecture,
 * whether it is already iPXE) and what we know (which machine, its state). The chain is
 * firmware PXE → TFTP iPXE binary → iPXE asks DHCP again (option 77 = iPXE) → HTTP script; answering
 * the second request with the script URL instead of the binary is what breaks the chainload loop.
 */
public final class BootFileSelector {
    /** URL path (under {@link BootUrls#base()}) of the iPXE script that boots the local disk. */
    public static final String LOCAL_BOOT_PATH = "/boot/local.ipxe";

    /**
     * The script served at {@link #LOCAL_BOOT_PATH}. BIOS: boot the first disk through INT 13h;
     * UEFI (or if sanboot fails): {@code exit} returns to the firmware, which tries the next
     * boot entry — the disk.
     */
    public static final String LOCAL_BOOT_SCRIPT = """
            #!ipxe
            echo Yoo: this machine is installed, booting from local disk
            iseq ${platform} efi && exit ||
            sanboot --no-describe --drive 0x80 || exit
            """;

    private final BootUrls urls;
    private final MachineTokens tokens;
    private final BootFiles files;
    private final BiPredicate<BootRequest, Optional<Machine>> secureBoot;

    public BootFileSelector(BootUrls urls, MachineTokens tokens, BootFiles files) {
        this(urls, tokens, files, (r, m) -> false);
    }

    /** @param secureBoot which requests/machines (empty = a stranger) boot {@link SecureBootChain}'s signed chain */
    public BootFileSelector(BootUrls urls, MachineTokens tokens, BootFiles files, BiPredicate<BootRequest, Optional<Machine>> secureBoot) {
        this.urls = urls;
        this.tokens = tokens;
        this.files = files;
        this.secureBoot = secureBoot;
    }

    public String localBootUrl() {
        return urls.base() + LOCAL_BOOT_PATH;
    }

    /**
     * @param machine    the descriptor machine, if the client matched one
     * @param state      its state (UNKNOWN for strangers)
     * @param tftpServer next-server for TFTP targets
     */
    public BootTarget select(BootRequest req, Optional<Machine> machine, MachineState state, Ipv4 tftpServer) {
        if (machine.isEmpty() && !files.allowUnknown()) {
            return new BootTarget.None("unknown machine " + req.mac() + " (set server.allowUnknown or server.discovery to boot strangers)");
        }
        if (!req.isNetworkBootFirmware() && !req.isIpxe()) {
            return new BootTarget.None("not a network boot client (no PXEClient/HTTPClient vendor class)");
        }
        if (machine.isPresent() && state.bootsFromDisk()) {
            // iPXE must be told what to do; bare firmware just gets no boot file and moves on to the disk
            return req.isIpxe() ? new BootTarget.HttpUrl(localBootUrl(), false) : new BootTarget.LocalDisk();
        }
        if (req.isIpxe()) {
            // a stranger (allowed: checked above) gets the chain script, whose by-MAC request the HTTP
            // server answers with the boot menu; `yoo dhcp` alone (no descriptor: everyone is a
            // stranger here) relies on the same chain to reach listed machines' scripts
            return machine.<BootTarget>map(m -> new BootTarget.HttpUrl(urls.ipxeScript(m.name(), tokens.tokenFor(m.name())), false))
                    .orElseGet(() -> new BootTarget.HttpUrl(urls.chainScript(), false));
        }
        if (secureBoot.test(req, machine)) {
            Optional<BootTarget> signed = SecureBootChain.firmwareTarget(req, tftpServer, urls);
            if (signed.isPresent()) {
                return signed.get();
            }
        }
        int arch = req.arch().orElse(0);
        if (req.isHttpBootClient() || arch == 16) {
            return new BootTarget.HttpUrl(urls.asset("ipxe/" + files.efi()), true);
        }
        return switch (arch) {
            case 0 -> new BootTarget.TftpFile(tftpServer, files.bios());
            case 7, 9 -> new BootTarget.TftpFile(tftpServer, files.efi());
            default -> new BootTarget.None("unsupported client architecture " + arch + " (option 93)");
        };
    }
}
