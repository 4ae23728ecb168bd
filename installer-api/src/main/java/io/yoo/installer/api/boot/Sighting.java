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
 * @param ipv6   the machine's IPv6 address (RFC 5952 text) when it was seen over IPv6; {@code ip} is then empty
 */
public record Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what,
        boolean failed, Optional<String> ipv6) {

    public enum Protocol { DHCP, TFTP, HTTP }

    /** Seen over IPv4 (or without an address). */
    public Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what, boolean failed) {
        this(protocol, machine, mac, ip, what, failed, Optional.empty());
    }

    /** A successful sighting. */
    public Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what) {
        this(protocol, machine, mac, ip, what, false);
    }

    public Sighting withMachine(String name) {
        return new Sighting(protocol, Optional.of(name), mac, ip, what, failed, ipv6);
    }

    /** The same, seen from {@code address} over IPv6. */
    public Sighting withIpv6(Optional<String> address) {
        return new Sighting(protocol, machine, mac, ip, what, failed, address);
    }
}
