package io.yoo.installer.api.boot;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;
import java.util.Optional;

/** The address and network parameters a known machine gets (its reservation). */
public record NetworkAssignment(
        String hostname,
        Ipv4 address,
        Ipv4Cidr subnet,
        Optional<Ipv4> gateway,
        List<Ipv4> dns,
        String domain,
        int leaseSeconds) {

    public NetworkAssignment {
        dns = List.copyOf(dns);
    }
}
