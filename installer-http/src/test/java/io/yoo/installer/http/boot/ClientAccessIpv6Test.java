package io.yoo.installer.http.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.MachineOverrides;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.match.MachineDirectory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A machine's token URLs over IPv6: only from its reserved IPv6 address (issue #19), as over IPv4 only from its {@code ip}. */
class ClientAccessIpv6Test {
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final Machine M1 = new Machine("m1", List.of(MacAddress.parse("52:54:00:00:00:01")), Optional.empty(), Ipv4.parse("10.0.0.11"),
            Role.WORKER, Map.of(), MachineOverrides.NONE, Optional.empty());
    static final Machine M2 = new Machine("m2", List.of(MacAddress.parse("52:54:00:00:00:02")), Optional.empty(), Ipv4.parse("10.0.0.12"),
            Role.WORKER, Map.of(), MachineOverrides.NONE, Optional.empty());
    /** IPv6-only (machines[].ipv6 and no ip). */
    static final Machine M3 = new Machine("m3", List.of(MacAddress.parse("52:54:00:00:00:03")), Optional.empty(), Optional.empty(),
            Role.WORKER, Map.of(), MachineOverrides.NONE, Optional.empty());

    /** m1 and m3 have an IPv6 reservation, m2 only its IPv4 one. */
    static final MachineDirectory DIR = new MachineDirectory() {
        private final MachineDirectory v4 = MachineDirectory.of(List.of(M1, M2, M3), true);

        @Override
        public List<Machine> machines() {
            return v4.machines();
        }

        @Override
        public Optional<Machine> byName(String name) {
            return v4.byName(name);
        }

        @Override
        public Optional<Machine> byMac(MacAddress mac) {
            return v4.byMac(mac);
        }

        @Override
        public Optional<Ipv4> reservedAddress(Machine machine) {
            return v4.reservedAddress(machine);
        }

        @Override
        public Optional<InetAddress> reservedAddress6(Machine machine) {
            return switch (machine.name()) {
                case "m1" -> Optional.of(InetAddress.ofLiteral("fd00::11"));
                case "m3" -> Optional.of(InetAddress.ofLiteral("fd00::13"));
                default -> Optional.empty();
            };
        }
    };

    private static Optional<InetAddress> v6(String a) {
        return Optional.of(InetAddress.ofLiteral(a));
    }

    @Test
    void overIpv6OnlyTheReservedIpv6AddressWithTheRightTokenGetsIn() {
        ClientAccess access = new ClientAccess(TOKENS, DIR);
        String t1 = TOKENS.tokenFor("m1");
        assertThat(access.withToken("m1", t1, Optional.empty(), v6("fd00::11"))).isInstanceOf(ClientAccess.Verdict.Allowed.class);
        assertThat(access.withToken("m1", t1, Optional.empty(), v6("fd00::99"))).isInstanceOf(ClientAccess.Verdict.Denied.class);
        assertThat(access.withToken("m1", TOKENS.tokenFor("m2"), Optional.empty(), v6("fd00::11")))
                .isInstanceOf(ClientAccess.Verdict.Denied.class);
        // no IPv6 reservation: an IPv6 source cannot vouch for a machine Yoo gave an IPv4 address
        assertThat(access.withToken("m2", TOKENS.tokenFor("m2"), Optional.empty(), v6("fd00::12")))
                .isInstanceOf(ClientAccess.Verdict.Denied.class);
        // IPv4 as before
        assertThat(access.withToken("m1", t1, Optional.of(Ipv4.parse("10.0.0.11")), Optional.empty()))
                .isInstanceOf(ClientAccess.Verdict.Allowed.class);
        assertThat(access.fromReservedAddress(M1, Optional.empty(), v6("fd00::11"))).isInstanceOf(ClientAccess.Verdict.Allowed.class);
        assertThat(access.fromReservedAddress(M1, Optional.empty(), v6("fd00::12"))).isInstanceOf(ClientAccess.Verdict.Denied.class);
    }

    @Test
    void anIpv6OnlyMachineGetsInOnlyFromItsIpv6AddressNeverOverIpv4() {
        ClientAccess access = new ClientAccess(TOKENS, DIR);
        String t3 = TOKENS.tokenFor("m3");
        assertThat(access.withToken("m3", t3, Optional.empty(), v6("fd00::13"))).isInstanceOf(ClientAccess.Verdict.Allowed.class);
        assertThat(access.withToken("m3", t3, Optional.empty(), v6("fd00::11"))).isInstanceOf(ClientAccess.Verdict.Denied.class);
        // it has no IPv4 address: no IPv4 source vouches for it, whichever it is
        assertThat(access.withToken("m3", t3, Optional.of(Ipv4.parse("10.0.0.13")), Optional.empty()))
                .isInstanceOf(ClientAccess.Verdict.Denied.class);
        assertThat(access.fromReservedAddress(M3, Optional.of(Ipv4.parse("10.0.0.99")))).isInstanceOf(ClientAccess.Verdict.Denied.class);
        assertThat(access.fromReservedAddress(M3, Optional.empty(), v6("fd00::13"))).isInstanceOf(ClientAccess.Verdict.Allowed.class);
    }
}
