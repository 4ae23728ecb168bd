package io.yoo.installer.api.boot;

import io.yoo.installer.api.net.Ipv4;
import java.util.Optional;

/**
 * The one seam between the protocol servers and the decisions: "who is this machine, and what
 * does it boot?" DHCP asks {@link #decide}, TFTP asks {@link #virtualFile} for files it does not
 * have on disk, and every server reports what it saw through {@link #observe} so the state of a
 * machine follows its boot. Implementations must be thread-safe and fast (called per packet).
 */
public interface BootPolicy {

    BootDecision decide(BootRequest request);

    /**
     * A file rendered on the fly for TFTP (e.g. {@code pxelinux.cfg/01-52-54-00-12-34-56},
     * {@code grub/grub.cfg-...}); empty when there is no such virtual file.
     */
    default Optional<byte[]> virtualFile(String path, Ipv4 client) {
        return Optional.empty();
    }

    default void observe(Sighting sighting) {}
}
