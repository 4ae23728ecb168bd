package io.yoo.installer.core.readdress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-place rewrite of one machine's {@code ip:}: only that value changes, whatever the style around it. */
class MachineIpLineTest {
    static final Ipv4 OLD = Ipv4.parse("10.1.0.21");
    static final Ipv4 NEW = Ipv4.parse("10.1.0.31");

    @Test
    void blockStyleKeepsCommentsAndEveryOtherLine() throws Exception {
        String yaml = """
                # top comment 机房
                machines:
                  - name: w-0
                    ip: 10.1.0.21x
                  # the one that moves
                  - name: w-1
                    mac: "52:54:00:00:00:01"
                    ip: 10.1.0.21   # 机架 7
                    role: worker
                """.replace("10.1.0.21x", "10.1.0.20");
        Optional<MachineIpLine.Edit> e = MachineIpLine.rewrite(yaml, "w-1", OLD, NEW);
        assertThat(e).isPresent();
        assertThat(e.get().text()).isEqualTo(yaml.replace("ip: 10.1.0.21   #", "ip: 10.1.0.31   #"));
        assertThat(e.get().line()).isEqualTo(8);
        assertThat(e.get().after()).isEqualTo("    ip: 10.1.0.31   # 机架 7");
    }

    @Test
    void flowStyleAndQuotingAreKept() throws Exception {
        String yaml = "machines:\n  - { name: a, ip: \"10.1.0.21\", role: worker }  # 注释\n  - { name: w-1, ip: '10.1.0.21', role: worker }\n";
        assertThat(MachineIpLine.rewrite(yaml, "a", OLD, NEW).orElseThrow().text())
                .isEqualTo("machines:\n  - { name: a, ip: \"10.1.0.31\", role: worker }  # 注释\n  - { name: w-1, ip: '10.1.0.21', role: worker }\n");
        assertThat(MachineIpLine.rewrite(yaml, "w-1", OLD, NEW).orElseThrow().text())
                .isEqualTo("machines:\n  - { name: a, ip: \"10.1.0.21\", role: worker }  # 注释\n  - { name: w-1, ip: '10.1.0.31', role: worker }\n");
    }

    @Test
    void aMachineTheFileDoesNotListIsEmpty() throws Exception {
        assertThat(MachineIpLine.rewrite("machines:\n  - { name: a, ip: 10.1.0.21 }\n", "b", OLD, NEW)).isEmpty();
        assertThat(MachineIpLine.rewrite("cluster: x\n", "b", OLD, NEW)).isEmpty();
    }

    @Test
    void aValueNotWrittenInTheEntryIsRefusedWithWhatToEdit() {
        String alias = "common: &addr 10.1.0.21\nmachines:\n  - { name: w-1, ip: *addr }\n";
        assertThatThrownBy(() -> MachineIpLine.rewrite(alias, "w-1", OLD, NEW)).isInstanceOf(MachineIpLine.NotRewritableException.class)
                .hasMessageContaining("line 1").hasMessageContaining("edit it by hand: ip: 10.1.0.21 -> 10.1.0.31");
        String stale = "machines:\n  - { name: w-1, ip: 10.1.0.22 }\n";
        assertThatThrownBy(() -> MachineIpLine.rewrite(stale, "w-1", OLD, NEW)).hasMessageContaining("says 10.1.0.22 but 10.1.0.21 is served");
        String none = "machines:\n  - { name: w-1 }\n";
        assertThatThrownBy(() -> MachineIpLine.rewrite(none, "w-1", OLD, NEW)).hasMessageContaining("no ip: line");
    }
}
