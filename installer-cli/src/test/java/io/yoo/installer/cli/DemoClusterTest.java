package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.template.Templates;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoClusterTest {

    @Test
    void a_thousand_demo_machines_load_as_a_valid_descriptor_with_distinct_macs_and_addresses() {
        ClusterDescriptor d = DemoCluster.of(1000, 8080);
        assertThat(d.machines()).hasSize(1000);
        assertThat(d.machines().getFirst().name()).isEqualTo("demo-0001");
        Set<Object> macs = new HashSet<>();
        Set<Object> ips = new HashSet<>();
        for (Machine m : d.machines()) {
            assertThat(macs.add(m.primaryMac())).as(m.name()).isTrue();
            assertThat(ips.add(m.ip())).as(m.name()).isTrue();
        }
    }

    @Test
    void demo_scripts_come_from_the_production_renderer() {
        ClusterDescriptor d = DemoCluster.of(3, 8080);
        MachineTokens tokens = new MachineTokens(new byte[32]);
        String script = new BootMenuRenderer(d, tokens, Templates.builtIn()).render("demo-0002", ArtifactKind.IPXE).orElseThrow().text();
        assertThat(script).startsWith("#!ipxe").contains("yoo.id=demo-0002").contains(tokens.tokenFor("demo-0002"));
    }

    @Test
    void an_impossible_count_is_refused() {
        assertThatThrownBy(() -> DemoCluster.of(0, 8080)).hasMessageContaining("--demo-machines");
    }
}
