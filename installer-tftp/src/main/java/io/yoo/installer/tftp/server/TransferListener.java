package io.yoo.installer.tftp.server;

import io.yoo.installer.core.boot.BootPolicy;
import io.yoo.installer.core.boot.Sighting;
import io.yoo.installer.core.net.Ipv4;
import java.net.Inet4Address;
import java.util.Optional;

/**
 * Told about every completed transfer (on an event-loop thread: keep it fast).
 * {@link #reportingTo(BootPolicy)} turns completions into TFTP {@link Sighting}s.
 */
@FunctionalInterface
public interface TransferListener {

    TransferListener NONE = t -> {};

    void completed(CompletedTransfer transfer);

    /** Reports each completed transfer as {@code Sighting(TFTP, -, -, client ip, "tftp <file>")}. */
    static TransferListener reportingTo(BootPolicy policy) {
        return t -> {
            Optional<Ipv4> ip = t.client().getAddress() instanceof Inet4Address a ? Optional.of(Ipv4.of(a)) : Optional.empty();
            policy.observe(new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), ip, "tftp " + t.file()));
        };
    }
}
