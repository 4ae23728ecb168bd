package io.yoo.installer.core.boot;

import io.yoo.installer.core.net.Ipv4;
import io.yoo.installer.core.net.MacAddress;
import java.util.Optional;

/**
 * A protocol server saw a machine do something worth tracking (a DHCP ACK, a TFTP download of a
 * boot program, an HTTP fetch of its script). Feeds the per-machine state.
 */
public record Sighting(Protocol protocol, Optional<String> machine, Optional<MacAddress> mac, Optional<Ipv4> ip, String what) {

    public enum Protocol { DHCP, TFTP, HTTP }
}
