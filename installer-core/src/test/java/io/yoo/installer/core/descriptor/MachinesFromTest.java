package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code machinesFrom: enrolled.yml}: machines from a file beside the descriptor, checked with its own; errors name that file. */
class MachinesFromTest {
    static final String DESCRIPTOR = """
            cluster: lab
            architecture: devtest
            network:
              interface: eth1
              server: 10.12.0.2
              subnet: 10.12.0.0/16
            machinesFrom: enrolled.yml
            machines:
              - { name: core-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1, role: control-plane }
            """;

    @TempDir
    Path dir;

    ClusterDescriptor load(String descriptor, String enrolled) throws Exception {
        Path f = dir.resolve("cluster.yml");
        Files.writeString(f, descriptor);
        if (enrolled != null) {
            Files.writeString(dir.resolve("enrolled.yml"), enrolled);
        }
        return DescriptorLoader.load(f);
    }

    @Test
    void theIncludedMachinesJoinTheDescriptorsOwn() throws Exception {
        ClusterDescriptor d = load(DESCRIPTOR, """
                # written by Yoo
                machines:
                  - name: "node-2"
                    mac: "52:54:00:12:01:02"
                    ip: "10.12.1.2"
                    role: "worker"
                    labels:
                      "rack": "r1"
                """);
        assertThat(d.machines()).extracting(Machine::name).containsExactly("core-1", "node-2");
        assertThat(d.machine("node-2").orElseThrow().macs()).containsExactly(MacAddress.parse("52:54:00:12:01:02"));
        assertThat(d.machine("node-2").orElseThrow().labels()).containsEntry("rack", "r1");
        assertThat(d.machinesFrom()).contains(dir.resolve("enrolled.yml"));
    }

    @Test
    void aMissingFileIsNoMachinesYetAndTheDescriptorMayListNone() throws Exception {
        assertThat(load(DESCRIPTOR, null).machines()).hasSize(1);
        String none = DESCRIPTOR.replace("machines:\n  - { name: core-1, mac: \"52:54:00:12:01:01\", ip: 10.12.1.1, role: control-plane }\n", "")
                .replace("architecture: devtest", "architecture: devtest");
        assertThatThrownBy(() -> load(none, null)).isInstanceOf(DescriptorException.class)
                .hasMessageContaining("control-plane").hasMessageNotContaining("the list of machines to install");
    }

    @Test
    void mistakesInTheIncludedFileNameItsLines() throws Exception {
        DescriptorException e = org.junit.jupiter.api.Assertions.assertThrows(DescriptorException.class, () -> load(DESCRIPTOR, """
                machines:
                  - name: "node-2"
                    mac: "52:54:00:12:01:01"
                    ip: "10.99.1.2"
                    role: "worker"
                    colour: blue
                """));
        List<String> lines = e.errors().stream().map(DescriptorError::format).toList();
        String enrolled = dir.resolve("enrolled.yml").toString();
        assertThat(lines).anyMatch(l -> l.startsWith(enrolled + ":3:10: machinesFrom.machines[0].mac: duplicate MAC 52:54:00:12:01:01")
                && l.contains("core-1"));
        assertThat(lines).anyMatch(l -> l.startsWith(enrolled + ":4:9: machinesFrom.machines[0].ip:") && l.contains("outside"));
        assertThat(lines).anyMatch(l -> l.startsWith(enrolled + ":6:5: machinesFrom.machines[0].colour: unknown key"));
    }

    @Test
    void theFileIsANameBesideTheDescriptor() {
        for (String bad : new String[] {"../etc/passwd.yml", "/tmp/x.yml", "sub/enrolled.yml", "enrolled.txt"}) {
            assertThatThrownBy(() -> load(DESCRIPTOR.replace("machinesFrom: enrolled.yml", "machinesFrom: " + bad), null))
                    .as(bad).isInstanceOf(DescriptorException.class).hasMessageContaining("machinesFrom: '" + bad + "' is not a file name");
        }
    }

    @Test
    void aFileThatIsNotAMappingOrNotYamlIsNamed() throws Exception {
        String enrolled = dir.resolve("enrolled.yml").toString();
        assertThatThrownBy(() -> load(DESCRIPTOR, "- a\n- b\n")).hasMessageContaining(enrolled + ":1:1:").hasMessageContaining("machines:");
        assertThatThrownBy(() -> load(DESCRIPTOR, "machines: [\n")).hasMessageContaining(enrolled).hasMessageContaining("YAML syntax error");
    }
}
