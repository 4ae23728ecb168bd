package io.yoo.installer.cli;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.boot.SecureBootChain;
import io.yoo.installer.tftp.server.CompletedTransfer;
import io.yoo.installer.tftp.server.TransferListener;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What `yoo serve`'s TFTP server tells the boot policy: every completed transfer (a sighting),
 * and a request for an iPXE boot program that is not there (a failed sighting naming the fix, so
 * the machine's record shows why it did not boot). Other misses are not reported: PXELINUX and
 * GRUB probe several config names before the one that exists.
 */
final class TftpSightings implements TransferListener {
    private final BootPolicy policy;
    private final TransferListener completions;
    private final Path root;

    TftpSightings(BootPolicy policy, Path root) {
        this.policy = policy;
        this.completions = TransferListener.reportingTo(policy);
        this.root = root;
    }

    @Override
    public void completed(CompletedTransfer transfer) {
        if (!SecureBootChain.sightingText(transfer.file()).equals("tftp " + transfer.file())
                && transfer.client().getAddress() instanceof Inet4Address a) {   // the history names the Secure Boot link
            policy.observe(new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), Optional.of(Ipv4.of(a)),
                    SecureBootChain.sightingText(transfer.file())));
            return;
        }
        completions.completed(transfer);
    }

    @Override
    public void notFound(String file, InetSocketAddress client) {
        if (IpxeBinaries.isBootProgram(file) && client.getAddress() instanceof Inet4Address a) {
            policy.observe(new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), Optional.of(Ipv4.of(a)),
                    IpxeBinaries.missingFile(file, root), true));
        }
    }
}
