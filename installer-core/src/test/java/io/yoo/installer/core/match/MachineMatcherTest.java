package io.yoo.installer.core.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.MachineOverrides;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineMatcherTest {
    static final SmbiosUuid UUID = SmbiosUuid.parse("4a1f3c2e-7b77-4e2a-9c1d-000000000102");

    static Machine machine(String name, List<String> macs, Optional<SmbiosUuid> uuid) {
        return new Machine(name, macs.stream().map(MacAddress::parse).toList(), uuid, Ipv4.parse("10.0.0.1"),
                Role.WORKER, Map.of(), MachineOverrides.NONE, Optional.empty());
    }

    final MachineMatcher matcher = new MachineMatcher(List.of(
            machine("two-nics", List.of("52:54:00:00:00:01", "52:54:00:00:00:02"), Optional.empty()),
            machine("by-uuid", List.of(), Optional.of(UUID))));

    @Test
    void matches_any_of_a_machines_macs() {
        assertThat(matcher.match(MacAddress.parse("52:54:00:00:00:02"), Optional.empty())).map(Machine::name).contains("two-nics");
        assertThat(matcher.match(MacAddress.parse("52:54:00:00:00:01"), Optional.empty())).map(Machine::name).contains("two-nics");
    }

    @Test
    void matches_the_uuid_as_pxe_firmware_sends_it_in_option_97_byte_swapped() {
        byte[] wire = HexFormat.of().parseHex("2e3c1f4a777b2a4e9c1d000000000102"); // first three fields little-endian
        SmbiosUuid decoded = SmbiosUuid.fromWireGuid(wire, 0);
        assertThat(matcher.match(MacAddress.parse("52:54:00:99:99:99"), Optional.of(decoded))).map(Machine::name).contains("by-uuid");
    }

    @Test
    void matches_the_uuid_from_older_firmware_that_sends_it_unswapped() {
        byte[] wire = HexFormat.of().parseHex("4a1f3c2e7b774e2a9c1d000000000102"); // as printed
        SmbiosUuid decodedAsIfSwapped = SmbiosUuid.fromWireGuid(wire, 0);
        assertThat(decodedAsIfSwapped).isNotEqualTo(UUID);
        assertThat(matcher.match(MacAddress.parse("52:54:00:99:99:99"), Optional.of(decodedAsIfSwapped)))
                .map(Machine::name).contains("by-uuid");
    }

    @Test
    void an_unknown_machine_matches_nothing() {
        assertThat(matcher.match(MacAddress.parse("52:54:00:99:99:99"), Optional.empty())).isEmpty();
        assertThat(matcher.match(MacAddress.parse("52:54:00:99:99:99"),
                Optional.of(SmbiosUuid.parse("00000000-0000-0000-0000-000000000001")))).isEmpty();
    }
}
