package io.yoo.installer.api.boot;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.Optional;

/**
 * A protocol server saw a machine do something worth tracking (a DHCP ACK, a TFTP download of a
 * boot program, an HTTP fetch of its script). Feeds the per-machine state.
 *
 * @param failed true when the machine asked for something it needs to boot and could not get it
 *               (a boot program missing from the TFTP root); {@code what} says what and the fix
 */
public record Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what,
        boolean failed) {

    public enum Protocol { DHCP, TFTP, HTTP }

    /** A successful sighting. */
    public Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what) {
        this(protocol, machine, mac, ip, what, false);
    }

    public Sighting withMachine(String name) {
        return new Sighting(protocol, Optional.of(name), mac, ip, what, failed);
    }
}
