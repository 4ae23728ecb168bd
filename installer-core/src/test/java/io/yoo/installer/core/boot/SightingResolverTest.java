package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.Sighting;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SightingResolverTest {
    private final SightingResolver resolver = new SightingResolver(BootTestDescriptors.cluster(false,
            BootTestDescriptors.machine("node-a", "52:54:00:00:00:0a", null, "10.77.0.10"),
            BootTestDescriptors.machine("node-b", "52:54:00:00:00:0b", null, "10.77.0.11")));

    private static Sighting tftp(String mac, String ip) {
        return new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.ofNullable(mac).map(MacAddress::parse),
                Optional.ofNullable(ip).map(Ipv4::parse), "undionly.kpxe");
    }

    @Test
    void namesTheMachineByMacFirstThenByReservedAddress() {
        assertThat(resolver.resolve(tftp(null, "10.77.0.11")).machine()).contains("node-b");
        assertThat(resolver.resolve(tftp("52:54:00:00:00:0a", null)).machine()).contains("node-a");
        // the MAC wins over an address that belongs to another machine (a stale lease, a move)
        assertThat(resolver.resolve(tftp("52:54:00:00:00:0a", "10.77.0.11")).machine()).contains("node-a");
    }

    @Test
    void aFailedSightingStaysFailedOnceNamed() {
        Sighting missing = new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.10")),
                "tftp undionly.kpxe: not found", true);
        Sighting named = resolver.resolve(missing);
        assertThat(named.machine()).contains("node-a");
        assertThat(named.failed()).isTrue();
        assertThat(named.what()).isEqualTo("tftp undionly.kpxe: not found");
    }

    @Test
    void leavesUnknownAndAlreadyNamedSightingsAsTheyAre() {
        Sighting unknown = tftp("52:54:00:00:00:99", "10.77.0.150");
        assertThat(resolver.resolve(unknown)).isSameAs(unknown);
        Sighting named = new Sighting(Sighting.Protocol.HTTP, Optional.of("node-b"), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.10")), "boot.ipxe");
        assertThat(resolver.resolve(named)).isSameAs(named);
    }
}
