package io.yoo.installer.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.ipmi.testsupport.IpmiProbeMain;
import io.yoo.installer.ipmi.testsupport.RedfishMockServer;
import io.yoo.installer.ipmi.testsupport.SimRack;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.SkipTestsWhenBeforeAllAborts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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

/**
 * The Java IPMI client against OpenIPMI's ipmi_sim, checked against ipmitool (the reference
 * client) talking to the same simulated BMCs. Client and ipmitool both run in a namespace
 * joined to the BMCs' namespace by a veth pair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SkipTestsWhenBeforeAllAborts.class) // a missing peer skips each test with its reason
class IpmiAgainstSimulatorTest {
    @TempDir
    static Path state;
    private SimRack rack;
    private SimRack.Bmc a;
    private SimRack.Bmc b;
    private SimRack.Bmc c;
    private SimRack.Bmc locked;
    private String silent;

    @BeforeAll
    void startRack() throws Exception {
        rack = SimRack.create(31, state);
        a = rack.start(11);
        b = rack.start(12);
        c = rack.start(13);
        locked = rack.start(14, "other-secret");
        silent = rack.silentAddress(15);
        rack.startWithoutFru(16);
    }

    @AfterAll
    void stopRack() {
        if (rack != null) {
            rack.close();
        }
    }

    private List<Map<String, String>> scan(String... targets) throws Exception {
        String[] args = new String[3 + targets.length];
        args[0] = "scan";
        args[1] = SimRack.USER;
        args[2] = SimRack.PASSWORD;
        System.arraycopy(targets, 0, args, 3, targets.length);
        NetNs.Result r = rack.java(120, IpmiProbeMain.class.getName(), args);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().lines().filter(l -> l.startsWith("address=")).map(IpmiAgainstSimulatorTest::fields).toList();
    }

    static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String kv : line.split("\\|")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private String ipmitool(SimRack.Bmc bmc, String... args) throws Exception {
        NetNs.Result r = rack.ipmitool(bmc.ip(), SimRack.USER, SimRack.PASSWORD, args);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    private static String field(String ipmitoolOutput, String label) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s*:\\s*(\\S+)").matcher(ipmitoolOutput);
        assertThat(m.find()).as(label + " in " + ipmitoolOutput).isTrue();
        return m.group(1);
    }

    @Test
    void scanMatchesIpmitoolForEveryBmcAndReportsFailuresPerBmc() throws Exception {
        List<Map<String, String>> reports = scan(rack.address(11) + "-16");
        assertThat(reports).hasSize(6);
        for (int i = 0; i < 3; i++) {
            SimRack.Bmc bmc = List.of(a, b, c).get(i);
            Map<String, String> r = reports.get(i);
            assertThat(r.get("address")).isEqualTo(bmc.ip());
            assertThat(r.get("status")).as(r.toString()).isEqualTo("OK");
            // raw bytes as ipmitool dumps them; decoded the SMBIOS way, as ipmitool's auto mode does for these GUIDs
            assertThat(r.get("guid")).isEqualTo(field(ipmitool(bmc, "mc", "guid", "dump"), "System GUID")).isEqualTo(bmc.guidHex());
            assertThat(r.get("uuid")).isEqualTo(field(ipmitool(bmc, "mc", "guid", "smbios"), "System GUID"))
                    .isEqualTo(field(ipmitool(bmc, "mc", "guid"), "System GUID"));
            String fru = ipmitool(bmc, "fru", "print", "0");
            assertThat(r.get("serial")).isEqualTo(field(fru, "Product Serial")).isEqualTo(bmc.serial());
            assertThat(r.get("product")).isEqualTo(field(fru, "Product Name"));
            String lan = ipmitool(bmc, "lan", "print", "1");
            assertThat(r.get("mac")).isEqualTo(field(lan, "MAC Address")).isEqualTo(bmc.mac());
            assertThat(r.get("ip")).isEqualTo(field(lan, "IP Address")).isEqualTo(bmc.ip());
        }
        assertThat(reports.get(3).get("status")).isEqualTo("AUTH_FAILED");
        assertThat(reports.get(3).get("problems")).contains("wrong password");
        assertThat(reports.get(4).get("address")).isEqualTo(silent);
        assertThat(reports.get(4).get("status")).isEqualTo("UNREACHABLE");
        // no FRU: everything else still reported, the missing part named
        Map<String, String> partial = reports.get(5);
        assertThat(partial.get("status")).isEqualTo("PARTIAL");
        assertThat(partial.get("serial")).isEmpty();
        assertThat(partial.get("guid")).isNotEmpty();
        assertThat(partial.get("mac")).isNotEmpty();
        assertThat(partial.get("problems")).startsWith("ipmi fru: ");
    }

    @Test
    void bootDeviceAndPowerChangesReachTheSimulatorsChassis() throws Exception {
        Path log = b.callsLog();
        NetNs.Result pxe = rack.java(60, IpmiProbeMain.class.getName(), "control", b.ip(), SimRack.USER, SimRack.PASSWORD, "3", "pxe-once-efi");
        assertThat(pxe.output()).contains("boot=PXE");
        assertThat(ipmitool(b, "chassis", "bootparam", "get", "5")).contains("Force PXE");
        NetNs.Result on = rack.java(60, IpmiProbeMain.class.getName(), "control", b.ip(), SimRack.USER, SimRack.PASSWORD, "3", "on");
        assertThat(on.output()).contains("power=true");
        assertThat(field(ipmitool(b, "chassis", "status"), "System Power")).isEqualTo("on");
        NetNs.Result off = rack.java(60, IpmiProbeMain.class.getName(), "control", b.ip(), SimRack.USER, SimRack.PASSWORD, "3", "off");
        assertThat(off.output()).contains("power=false");
        assertThat(field(ipmitool(b, "chassis", "status"), "System Power")).isEqualTo("off");
        String calls = Files.readString(log);
        assertThat(calls).contains("set boot pxe").contains("set power 1").contains("set power 0");
        assertThat(calls.indexOf("set boot pxe")).isLessThan(calls.indexOf("set power 1"));
    }

    @Test
    void sessionsAreClosedSoTheBmcNeverRunsOutOfSlots() throws Exception {
        // ipmi_sim has few session slots: with Close Session disabled this fails with "insufficient resources" well before 100
        NetNs.Result r = rack.java(120, IpmiProbeMain.class.getName(), "sessions", c.ip(), SimRack.USER, SimRack.PASSWORD, "100");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("sessions=100");
    }

    @Test
    void ipmiAndRedfishAnswersOfOneBmcAreMerged() throws Exception {
        // a Redfish mockup on BMC a's address (inside the BMC namespace) next to its ipmi_sim
        Path log = state.resolve("redfish-mock.log");
        rack.javaInBmcs(log, RedfishMockServer.class.getName(), a.ip());
        Matcher m = null;
        for (int i = 0; i < 150 && (m == null || !m.find()); i++) {
            Thread.sleep(200);
            m = Pattern.compile("port=(\\d+) fingerprint=(\\w+)").matcher(Files.exists(log) ? Files.readString(log) : "");
        }
        assertThat(m.find(0)).as("mock server started: " + Files.readString(log)).isTrue();
        NetNs.Result r = rack.java(120, IpmiProbeMain.class.getName(), "merge", SimRack.USER, SimRack.PASSWORD, m.group(1), m.group(2),
                a.ip(), c.ip());
        assertThat(r.exit()).as(r.output()).isZero();
        List<Map<String, String>> reports = r.output().lines().filter(l -> l.startsWith("address=")).map(IpmiAgainstSimulatorTest::fields).toList();
        Map<String, String> both = reports.get(0);
        // Redfish first: its host MACs and UUID; IPMI adds the raw GUID; the UUIDs differ (the mockup is another machine)
        assertThat(both.get("status")).isEqualTo("PARTIAL");
        assertThat(both.get("hostMacs")).isEqualTo("12:44:6a:3b:04:11,12:44:6a:3b:88:90");
        assertThat(both.get("uuid")).isEqualTo("38947555-7742-3448-3784-823347823834");
        assertThat(both.get("guid")).isEqualTo(a.guidHex());
        assertThat(both.get("problems")).contains("redfish and ipmi disagree on the system UUID");
        Map<String, String> ipmiOnly = reports.get(1);
        assertThat(ipmiOnly.get("status")).isEqualTo("PARTIAL");
        assertThat(ipmiOnly.get("serial")).isEqualTo(c.serial());
        assertThat(ipmiOnly.get("problems")).startsWith("redfish: ");
    }

    @Test
    void wrongPasswordIsReportedAsCredentialsNotAsTimeout() throws Exception {
        NetNs.Result r = rack.java(60, IpmiProbeMain.class.getName(), "control", locked.ip(), SimRack.USER, SimRack.PASSWORD, "3", "status");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("IpmiAuthenticationException");
    }
}
