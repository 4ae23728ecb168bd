package io.yoo.installer.ipmi.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressRuleTest {

    @Test
    void seedFormulaGivesTwentyEightSlotsPerChassis() {
        // chassis 202 slot 5 -> 5; chassis 203 slot 1 -> 29 (index = (o3 - 202) * 28 + o4)
        assertThat(AddressRule.SEED.assign(Ipv4.parse("10.11.202.5"), 0))
                .isEqualTo(new HostAssignment(5, Ipv4.parse("10.12.1.5"), "core-1-5"));
        assertThat(AddressRule.SEED.assign(Ipv4.parse("10.11.203.1"), 7))
                .isEqualTo(new HostAssignment(29, Ipv4.parse("10.12.1.29"), "core-1-29"));
        assertThat(AddressRule.SEED.assign(Ipv4.parse("10.11.210.28"), 0).address()).isEqualTo(Ipv4.parse("10.12.1.252"));
    }

    @Test
    void rulesCanSpreadIndexesOverOctetsAndUseScanOrder() {
        AddressRule r = AddressRule.parse("n + 300", "10.12.{index / 256}.{index % 256}", "node-{index}");
        assertThat(r.assign(Ipv4.parse("1.2.3.4"), 5)).isEqualTo(new HostAssignment(305, Ipv4.parse("10.12.1.49"), "node-305"));
    }

    @Test
    void precedenceAndUnaryMinusAreTheUsualOnes() {
        Expr e = Expr.parse("2 + 3 * -(4 - 1) % 5", Set.of());
        assertThat(e.eval(Map.of())).isEqualTo(2 + Math.floorMod(3 * -3, 5));
    }

    @Test
    void resultsThatAreNotAddressesOrLabelsAreRefusedPerBmc() {
        assertThatThrownBy(() -> AddressRule.SEED.assign(Ipv4.parse("10.11.220.200"), 0))
                .hasMessageContaining("10.12.1.704").hasMessageContaining("not an IPv4 address");
        AddressRule bad = AddressRule.parse("o4", "10.0.0.{index}", "Node_{index}");
        assertThatThrownBy(() -> bad.assign(Ipv4.parse("1.1.1.1"), 0)).hasMessageContaining("not a DNS label");
        AddressRule div = AddressRule.parse("o4 / (o3 - 3)", "10.0.0.1", "a");
        assertThatThrownBy(() -> div.assign(Ipv4.parse("1.2.3.4"), 0)).hasMessageContaining("division by zero");
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        assertThatThrownBy(() -> AddressRule.parse("(o3 - 202 * 28", "x", "y")).hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> AddressRule.parse("o5", "x", "y")).hasMessageContaining("column 1").hasMessageContaining("unknown variable 'o5'");
        assertThatThrownBy(() -> AddressRule.parse("o4", "10.0.0.{index", "y")).hasMessageContaining("'{' without '}'");
        assertThatThrownBy(() -> AddressRule.parse("o4 $ 2", "x", "y")).hasMessageContaining("column 4");
    }
}
