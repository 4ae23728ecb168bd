package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.ipmi.testsupport.SimRack;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.SkipTestsWhenBeforeAllAborts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code yoo ipmi-scan}, {@code yoo power} and {@code yoo reprovision} run (as the real main
 * class, in a client namespace) against ipmi_sim BMCs at 10.77.202.N, so the seed's default rule
 * gives index N: (202 - 202) * 28 + N.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SkipTestsWhenBeforeAllAborts.class) // a missing peer skips each test with its reason
class IpmiCommandsAgainstSimulatorTest {
    @TempDir
    static Path work;
    private SimRack rack;
    private List<SimRack.Bmc> good;

    @BeforeAll
    void start() throws Exception {
        rack = SimRack.create(202, work);
        good = List.of(rack.start(1), rack.start(2), rack.start(3));
        rack.start(4, "other-secret");
        rack.silentAddress(5);
    }

    @AfterAll
    void stop() {
        if (rack != null) {
            rack.close();
        }
    }

    private NetNs.Result yoo(String... args) throws Exception {
        return rack.java(120, Yoo.class.getName(), args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void scanReportsEveryBmcAndWritesConfigsTheDaemonsAccept() throws Exception {
        Path machines = work.resolve("machines.yml");
        Path dhcpd = work.resolve("hosts.conf");
        Path dnsmasq = work.resolve("dnsmasq.conf");
        Path kea = work.resolve("kea.json");
        NetNs.Result r = yoo("ipmi-scan", rack.address(1) + "-5", "--password", SimRack.PASSWORD, "--timeout-ms", "500",
                "--machines", machines.toString(), "--dhcpd", dhcpd.toString(), "--dnsmasq", dnsmasq.toString(), "--kea", kea.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).containsPattern("10\\.77\\.202\\.4\\s+AUTH_FAILED").containsPattern("10\\.77\\.202\\.5\\s+UNREACHABLE")
                .contains("scanned 5 BMCs").contains("3 ok").contains("3 hosts planned");

        List<Map<String, Object>> entries = (List<Map<String, Object>>) ((Map<String, Object>) new Yaml().load(Files.readString(machines)))
                .get("machines");
        assertThat(entries).hasSize(3);
        for (int i = 0; i < 3; i++) {
            SimRack.Bmc bmc = good.get(i);
            Map<String, Object> m = entries.get(i);
            NetNs.Result guid = rack.ipmitool(bmc.ip(), SimRack.USER, SimRack.PASSWORD, "mc", "guid", "smbios");
            assertThat(guid.output()).contains("System GUID   : " + m.get("uuid"));
            assertThat(m).containsEntry("name", "core-1-" + (i + 1)).containsEntry("ip", "10.12.1." + (i + 1));
            assertThat((Map<String, Object>) m.get("bmc")).containsEntry("address", bmc.ip()).containsEntry("protocol", "ipmi");
            Matcher line = Pattern.compile("(?m)^" + Pattern.quote(bmc.ip()) + "\\s+OK\\s+ipmi\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)").matcher(r.output());
            assertThat(line.find()).isTrue();
            assertThat(line.group(1)).isEqualTo(bmc.mac());
            assertThat(line.group(3)).isEqualTo(bmc.serial());
        }
        assertThat(Files.readString(machines)).doesNotContain(SimRack.PASSWORD);

        Peers.requireCommands("dhcpd", "dnsmasq", "kea-dhcp4");
        Path dhcpdConf = work.resolve("dhcpd.conf");
        Files.writeString(dhcpdConf, "subnet 10.12.1.0 netmask 255.255.255.0 { }\n" + Files.readString(dhcpd));
        assertThat(run("dhcpd", "-4", "-t", "-cf", dhcpdConf.toString()).exit()).isZero();
        Path dnsmasqConf = work.resolve("dnsmasq-test.conf");
        Files.writeString(dnsmasqConf, "port=0\n" + Files.readString(dnsmasq));
        assertThat(run("dnsmasq", "--test", "-C", dnsmasqConf.toString()).exit()).isZero();
        NetNs.Result k = run("kea-dhcp4", "-t", kea.toString());
        assertThat(k.exit()).as(k.output()).isZero();
    }

    private static NetNs.Result run(String... cmd) throws Exception {
        cmd[0] = Peers.which(cmd[0]).toString();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new NetNs.Result(p.waitFor(), out);
    }

    @Test
    void powerAndReprovisionReachTheChassisOfTheNamedBmc() throws Exception {
        SimRack.Bmc bmc = good.get(1);
        String[] login = {"--bmc", bmc.ip(), "--password", SimRack.PASSWORD};
        assertThat(yoo(cat(new String[] {"power", "core-1-2", "on"}, login)).output()).contains("power on");
        assertThat(yoo(cat(new String[] {"power", "core-1-2", "off"}, login)).output()).contains("power off");
        NetNs.Result re = yoo(cat(new String[] {"reprovision", "core-1-2", "--legacy"}, login));
        assertThat(re.exit()).as(re.output()).isZero();
        assertThat(re.output()).contains("PXE boot once (legacy)");
        String calls = Files.readString(bmc.callsLog());
        int off = calls.indexOf("set power 0");
        int pxe = calls.indexOf("set boot pxe", off);
        assertThat(calls.indexOf("set power 1")).isBetween(0, off);
        assertThat(pxe).isGreaterThan(off);
        assertThat(calls.indexOf("set power 1", pxe)).as("reprovision of an off machine powers it on").isGreaterThan(pxe);
        NetNs.Result status = yoo(cat(new String[] {"power", "core-1-2", "status"}, login));
        assertThat(status.output()).contains("core-1-2 (ipmi://admin@" + bmc.ip() + "): power on");
    }

    @Test
    void failuresAreReportedWithExitCodes() throws Exception {
        NetNs.Result bad = yoo("power", "x", "on", "--bmc", rack.address(4), "--password", SimRack.PASSWORD);
        assertThat(bad.exit()).isEqualTo(Yoo.EXIT_ENVIRONMENT);
        assertThat(bad.output()).contains("wrong password");
        NetNs.Result noDescriptor = yoo("power", "x", "on", "--password", SimRack.PASSWORD);
        assertThat(noDescriptor.exit()).isEqualTo(Yoo.EXIT_INVALID);
        NetNs.Result strict = yoo("ipmi-scan", rack.address(4) + "-5", "--password", SimRack.PASSWORD, "--timeout-ms", "300", "--strict");
        assertThat(strict.exit()).isEqualTo(Yoo.EXIT_ENVIRONMENT);
        NetNs.Result usage = yoo("ipmi-scan", "10.0.0.300", "--password", "x");
        assertThat(usage.exit()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(usage.output()).contains("300 is over 255");
    }

    @Test
    void aBmcAddressWithAPortIsUsedAsIs() throws Exception {
        SimRack.Bmc bmc = good.get(2);
        Path f = RedfishCommandsTest.descriptorWithBmc(work, bmc.ip() + ":623", "ipmi");
        Files.writeString(f, Files.readString(f).replace("password: secret", "password: " + SimRack.PASSWORD));
        // --ipmi-port names a port nothing listens on: the address's own port must win
        NetNs.Result fromDescriptor = yoo("power", "devbox", "status", "-d", f.toString(), "--ipmi-port", "9", "--timeout-ms", "500");
        assertThat(fromDescriptor.exit()).as(fromDescriptor.output()).isZero();
        assertThat(fromDescriptor.output()).contains("devbox (ipmi://admin@" + bmc.ip() + ":623): power");
        NetNs.Result direct = yoo("power", "devbox", "status", "--bmc", bmc.ip() + ":623", "--ipmi-port", "9", "--password", SimRack.PASSWORD);
        assertThat(direct.exit()).as(direct.output()).isZero();
    }

    private static String[] cat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
