package io.yoo.installer.tftp.server;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Told about every completed transfer and every request for a missing file (on an event-loop
 * thread: keep it fast).
 * {@link #reportingTo(BootPolicy)} turns completions into TFTP {@link Sighting}s.
 */
@FunctionalInterface
public interface TransferListener {

    TransferListener NONE = t -> {};

    void completed(CompletedTransfer transfer);

    /**
     * A read request for a name that is neither a virtual file nor on disk (answered with TFTP
     * error 1, file not found). {@code file} is the checked name the client asked for.
     */
    default void notFound(String file, InetSocketAddress client) {}

    /** Reports each completed transfer as {@code Sighting(TFTP, -, -, client ip, "tftp <file>")}. */
    static TransferListener reportingTo(BootPolicy policy) {
        return t -> {
            Optional<Ipv4> ip = t.client().getAddress() instanceof Inet4Address a ? Optional.of(Ipv4.of(a)) : Optional.empty();
            policy.observe(new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), ip, "tftp " + t.file()));
        };
    }
}
