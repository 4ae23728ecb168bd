package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DhcpCommandsTest {
    @Test
    void dhcpAndDhcpProbeAreSubcommandsWithTheirOptions() {
        CommandLine cl = Yoo.commandLine();
        assertThat(cl.getSubcommands()).containsKeys("dhcp", "dhcp-probe");
        CommandLine.ParseResult r = cl.parseArgs("dhcp", "--interface", "eth1", "--server-address", "10.77.0.1", "--subnet",
                "10.77.0.0/24", "--pool", "10.77.0.100-10.77.0.199", "--lease-dir", "/tmp/x", "--mode", "proxy");
        DhcpCommand c = r.subcommand().commandSpec().commandLine().getCommand();
        assertThat(c.interfaces).containsExactly("eth1");
        assertThat(c.pools).containsExactly("10.77.0.100-10.77.0.199");
        assertThat(c.mode).isEqualTo("proxy");
    }

    @Test
    void probeOfAMissingInterfaceIsAnEnvironmentError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Yoo.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("dhcp-probe", "--interface", "no-such-if0", "--wait", "1");
        assertThat(code).isEqualTo(Yoo.EXIT_ENVIRONMENT);
    }

    @Test
    void dhcpWithoutServerAddressFailsNamingTheOption() {
        // note: Yoo's exit-code mapper currently maps usage errors to 4 as well (reported to the lead)
        StringWriter err = new StringWriter();
        CommandLine cl = Yoo.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("dhcp", "--subnet", "10.77.0.0/24")).isNotZero();
        assertThat(err.toString()).contains("--server-address");
    }
}
