package io.yoo.installer.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.api.net.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InventoryParserTest {
    static final String GOOD = """
            {"bootMac": "52:54:00:AA:00:01",
             "system": {"vendor": "QEMU", "product": "Standard PC (Q35 + ICH9, 2009)", "serial": "SN-123",
                        "uuid": "4A1F3C2E-7B77-4E2A-9C1D-000000000010"},
             "cpu": {"model": "AMD EPYC", "count": 2},
             "memoryBytes": 2147483648,
             "disks": [{"name": "vda", "sizeBytes": 8589934592, "model": "", "rotational": true,
                        "byId": "/dev/disk/by-id/virtio-disk0"}],
             "nics": [{"name": "eth0", "mac": "52:54:00:aa:00:01", "driver": "virtio_net", "link": "up", "speedMbps": null,
                       "lldp": {"chassis": "aa:bb:cc:dd:ee:ff", "system": "sw1", "port": "Gi0/7"}},
                      {"name": "eth1", "mac": "52:54:00:aa:00:02", "driver": "e1000", "link": "down"}],
             "bmc": {"address": "10.0.0.5"}}
            """;

    static Inventory parse(String json) throws Exception {
        return InventoryParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullInventoryIsReadAndWrittenAnewFromItsValues() throws Exception {
        Inventory inv = parse(GOOD);
        assertThat(inv.bootMac()).isEqualTo(MacAddress.parse("52:54:00:aa:00:01"));
        assertThat(inv.uuid()).contains(UUID.fromString("4a1f3c2e-7b77-4e2a-9c1d-000000000010"));
        assertThat(inv.serial()).contains("SN-123");
        assertThat(inv.nicMacs()).hasSize(2);
        JsonNode stored = new ObjectMapper().readTree(inv.json());
        assertThat(stored.get("bootMac").asText()).isEqualTo("52:54:00:aa:00:01");
        assertThat(stored.at("/disks/0/sizeBytes").asLong()).isEqualTo(8589934592L);
        assertThat(stored.at("/disks/0/rotational").asBoolean()).isTrue();
        assertThat(stored.at("/disks/0/model").isMissingNode()).isTrue(); // empty strings are dropped
        assertThat(stored.at("/nics/0/lldp/port").asText()).isEqualTo("Gi0/7");
        assertThat(stored.at("/nics/1/speedMbps").isMissingNode()).isTrue();
        assertThat(stored.at("/bmc/address").asText()).isEqualTo("10.0.0.5");
        assertThat(stored.at("/system/uuid").asText()).isEqualTo("4a1f3c2e-7b77-4e2a-9c1d-000000000010");
    }

    @Test
    void placeholderSerialsAndUuidsAreNoIdentity() throws Exception {
        Inventory inv = parse("""
                {"bootMac": "52:54:00:aa:00:01", "system": {"serial": "To Be Filled By O.E.M.", "uuid": "03000200-0400-0500-0006-000700080009"}}
                """);
        assertThat(inv.uuid()).isEmpty();
        assertThat(inv.serial()).isEmpty();
    }

    @Test
    void badInventoriesNameTheField() {
        String[][] cases = {
            {"[]", "body must be a JSON object"},
            {"{", "body is not JSON"},
            {"{}", "bootMac: missing"},
            {"{\"bootMac\": \"zz\"}", "bootMac: not a MAC address"},
            {"{\"bootMac\": 5}", "bootMac: not a MAC address"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"extra\": 1}", "extra: unknown field"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"system\": {\"uuid\": \"not-a-uuid\"}}", "system.uuid: not a UUID"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"system\": {\"vendor\": 7}}", "system.vendor: must be a string"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"system\": {\"vendor\": \"" + "v".repeat(129) + "\"}}", "longer than 128"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"system\": {\"vendor\": \"a\\u0000b\"}}", "only printable ASCII"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"memoryBytes\": -1}", "memoryBytes: must be a whole number"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"memoryBytes\": \"8G\"}", "memoryBytes: must be a whole number"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"disks\": {}}", "disks: must be an array"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"disks\": [{\"name\": \"../etc\"}]}", "disks[0].name: not a device name"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"disks\": [{\"name\": \"sda\", \"byId\": \"/etc/passwd\"}]}", "disks[0].byId"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"disks\": [{\"name\": \"sda\", \"rotational\": \"yes\"}]}", "disks[0].rotational"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"nics\": [{\"name\": \"eth0\", \"mac\": \"52:54:00:aa:00:09\"}]}",
                "bootMac: 52:54:00:aa:00:01 is none of the NICs' MACs"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"nics\": [{\"name\": \"eth0\", \"mac\": \"52:54:00:aa:00:01\", \"link\": \"sideways\"}]}",
                "nics[0].link"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"nics\": [{\"name\": \"a\", \"mac\": \"52:54:00:aa:00:01\"}, "
                + "{\"name\": \"b\", \"mac\": \"52:54:00:aa:00:01\"}]}", "a MAC is listed twice"},
            {"{\"bootMac\": \"52:54:00:aa:00:01\", \"bmc\": {\"address\": \"bmc.example\"}}", "bmc.address: not an IPv4 address"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(InventoryParser.InvalidInventoryException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void sizesAreBounded() {
        StringBuilder disks = new StringBuilder();
        for (int i = 0; i <= InventoryParser.MAX_DISKS; i++) {
            disks.append(i == 0 ? "" : ",").append("{\"name\": \"sd").append(i).append("\"}");
        }
        assertThatThrownBy(() -> parse("{\"bootMac\": \"52:54:00:aa:00:01\", \"disks\": [" + disks + "]}"))
                .hasMessageContaining("disks: more than 64 entries");
        byte[] big = ("{\"bootMac\": \"52:54:00:aa:00:01\", \"x\": \"" + "a".repeat(InventoryParser.MAX_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> InventoryParser.parse(big)).hasMessageContaining("inventory over 65536 bytes");
    }
}
