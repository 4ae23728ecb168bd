package io.yoo.installer.ipmi.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.scan.BmcReport;
import io.yoo.installer.ipmi.scan.ScanStatus;
import io.yoo.installer.testsupport.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The generated configs are accepted by the daemons they are for (their own config checkers). */
class WritersAgainstPeersTest {

    static BmcReport report(String bmc, String uuid, String serial, String... macs) {
        return new BmcReport(Ipv4.parse(bmc), ScanStatus.OK, BmcProtocol.REDFISH, Optional.of(Ipv4.parse(bmc)),
                Optional.of(MacAddress.parse("02:00:00:00:aa:01")), Optional.empty(), Optional.ofNullable(uuid).map(SmbiosUuid::parse),
                Optional.of(serial), Optional.of("Blade"), Optional.of("ACME"), Optional.of(true),
                List.of(macs).stream().map(MacAddress::parse).toList(), List.of());
    }

    static List<PlannedHost> hosts() {
        List<BmcReport> reports = List.of(
                report("10.11.202.1", "4a1f3c2e-7b77-4e2a-9c1d-000000000101", "SN-1", "52:54:00:00:01:01", "52:54:00:00:01:02"),
                report("10.11.202.2", "4a1f3c2e-7b77-4e2a-9c1d-000000000102", "SN-\"2\"; }", "52:54:00:00:02:01"),
                report("10.11.203.1", "4a1f3c2e-7b77-4e2a-9c1d-000000000201", "SN-3"), // no MAC: uuid only
                report("10.11.203.2", null, "SN-4", "10:20:30:40:50:60"));
        Planner.Plan plan = Planner.plan(reports, AddressRule.SEED);
        assertThat(plan.problems()).isEmpty();
        return plan.hosts();
    }

    static ProcessResult run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    record ProcessResult(int exit, String output) {}

    @Test
    void dhcpdAcceptsTheHostEntries(@TempDir Path dir) throws Exception {
        Peers.requireCommands("dhcpd");
        String hosts = DhcpdHostsWriter.write(hosts());
        assertThat(hosts).contains("host core-1-1 { hardware ethernet 52:54:00:00:01:01; fixed-address 10.12.1.1; }")
                .contains("host core-1-1-nic2 { hardware ethernet 52:54:00:00:01:02; fixed-address 10.12.1.1; }")
                .contains("# core-1-29: no host MAC known").doesNotContain("\"2\"; }");
        Path conf = dir.resolve("dhcpd.conf");
        Files.writeString(conf, "subnet 10.12.1.0 netmask 255.255.255.0 { }\n" + hosts);
        ProcessResult r = run(dir, Peers.which("dhcpd").toString(), "-4", "-t", "-cf", conf.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        // and the checker is not a rubber stamp
        Files.writeString(conf, "subnet 10.12.1.0 netmask 255.255.255.0 { }\n" + hosts.replace("fixed-address 10.12.1.1;", "fixed-address 10.12.1.1"));
        assertThat(run(dir, Peers.which("dhcpd").toString(), "-4", "-t", "-cf", conf.toString()).exit()).isNotZero();
    }

    @Test
    void dnsmasqAcceptsTheDhcpHostLines(@TempDir Path dir) throws Exception {
        Peers.requireCommands("dnsmasq");
        String lines = DnsmasqHostsWriter.write(hosts());
        assertThat(lines).contains("dhcp-host=52:54:00:00:01:01,52:54:00:00:01:02,10.12.1.1,core-1-1")
                .contains("dhcp-host=10:20:30:40:50:60,10.12.1.30,core-1-30");
        Path conf = dir.resolve("dnsmasq.conf");
        Files.writeString(conf, "port=0\ndhcp-range=10.12.1.100,10.12.1.200\n" + lines);
        ProcessResult r = run(dir, Peers.which("dnsmasq").toString(), "--test", "-C", conf.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("syntax check OK");
        Files.writeString(conf, "port=0\n" + lines.replace(",core-1-1\n", ",core_1 1\n"));
        assertThat(run(dir, Peers.which("dnsmasq").toString(), "--test", "-C", conf.toString()).exit()).isNotZero();
    }

    @Test
    void keaAcceptsTheReservations(@TempDir Path dir) throws Exception {
        Peers.requireCommands("kea-dhcp4");
        String json = KeaReservationsWriter.write(hosts(), Ipv4Cidr.parse("10.12.1.0/24"), 1);
        assertThat(json).contains("\"hw-address\" : \"52:54:00:00:01:01\"").contains("\"ip-address\" : \"10.12.1.30\"")
                .contains("core-1-29: no host MAC");
        Path conf = dir.resolve("kea.json");
        Files.writeString(conf, json);
        ProcessResult r = run(dir, Peers.which("kea-dhcp4").toString(), "-t", conf.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        Files.writeString(conf, json.replace("\"10.12.1.30\"", "\"10.12.9.30\""));
        assertThat(run(dir, Peers.which("kea-dhcp4").toString(), "-t", conf.toString()).exit()).isNotZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void machinesYamlCarriesUuidMacsAndBmcButNeverThePassword() {
        String yaml = MachinesYamlWriter.write(hosts(), "worker", "admin", "YOO_BMC_PASSWORD");
        Map<String, Object> doc = new Yaml().load(yaml);
        List<Map<String, Object>> machines = (List<Map<String, Object>>) doc.get("machines");
        assertThat(machines).hasSize(4);
        Map<String, Object> uuidOnly = machines.get(2);
        assertThat(uuidOnly).containsEntry("name", "core-1-29").containsEntry("uuid", "4a1f3c2e-7b77-4e2a-9c1d-000000000201")
                .containsEntry("ip", "10.12.1.29").doesNotContainKey("macs");
        assertThat((Map<String, Object>) uuidOnly.get("bmc")).containsEntry("address", "10.11.203.1").containsEntry("protocol", "redfish")
                .containsEntry("passwordEnv", "YOO_BMC_PASSWORD");
        assertThat((List<String>) machines.get(0).get("macs")).containsExactly("52:54:00:00:01:01", "52:54:00:00:01:02");
        assertThat(yaml).doesNotContain("secret");
    }

    @Test
    void duplicateAssignmentsAreLeftOutWithAReason() {
        List<BmcReport> reports = List.of(report("10.0.0.1", null, "A", "52:54:00:00:00:01"), report("10.0.1.1", null, "B", "52:54:00:00:00:02"));
        Planner.Plan plan = Planner.plan(reports, AddressRule.parse("o4", "10.12.1.{index}", "n{index}"));
        assertThat(plan.hosts()).isEmpty();
        assertThat(plan.allProblems()).hasSize(2).allMatch(p -> p.contains("also of BMC") && p.contains("fix the rule"));
    }

    /**
     * What real BMCs report when firmware was never programmed or an image was cloned: two
     * blades with UUID FFFFFFFF-... and the same MAC, a zero UUID, a broadcast and a multicast
     * MAC. Each is a problem of its BMC, none reaches an output, and every daemon accepts what
     * is written (Kea refuses a file with one MAC reserved twice).
     */
    static Planner.Plan hostilePlan() {
        List<BmcReport> reports = List.of(
                report("10.11.202.1", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "SN-1", "52:54:00:00:0c:01"),
                report("10.11.202.2", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "SN-2", "52:54:00:00:0c:01"),
                report("10.11.202.3", "00000000-0000-0000-0000-000000000000", "SN-3", "ff:ff:ff:ff:ff:ff"),
                report("10.11.202.4", "4a1f3c2e-7b77-4e2a-9c1d-000000000104", "SN-4", "01:00:5e:00:00:fb", "52:54:00:00:04:01"),
                report("10.11.202.5", "4a1f3c2e-7b77-4e2a-9c1d-000000000105", "SN-5", "52:54:00:00:05:01"),
                report("10.11.202.6", "4a1f3c2e-7b77-4e2a-9c1d-000000000105", "SN-6", "52:54:00:00:06:01"));
        return Planner.plan(reports, AddressRule.SEED);
    }

    @Test
    void placeholdersDuplicatesAndGroupMacsAreProblemsOfTheirBmcAndLeftOut() {
        Planner.Plan plan = hostilePlan();
        assertThat(plan.hosts()).extracting(h -> h.host().name()).containsExactly("core-1-4");
        assertThat(plan.hosts().getFirst().macs()).containsExactly(MacAddress.parse("52:54:00:00:04:01"));
        assertThat(plan.problemsOf(Ipv4.parse("10.11.202.1"))).containsExactly(
                "system UUID ffffffff-ffff-ffff-ffff-ffffffffffff is a placeholder (never programmed); not used",
                "not planned: mac 52:54:00:00:0c:01 also of BMC 10.11.202.2");
        assertThat(plan.problemsOf(Ipv4.parse("10.11.202.3"))).containsExactly(
                "system UUID 00000000-0000-0000-0000-000000000000 is a placeholder (never programmed); not used",
                "host MAC ff:ff:ff:ff:ff:ff is the broadcast address; not used",
                "not planned: no usable system UUID and no usable host MAC, nothing to match the machine by");
        assertThat(plan.problemsOf(Ipv4.parse("10.11.202.4"))).containsExactly("host MAC 01:00:5e:00:00:fb is a multicast address; not used");
        assertThat(plan.problemsOf(Ipv4.parse("10.11.202.5"))).containsExactly(
                "not planned: uuid 4a1f3c2e-7b77-4e2a-9c1d-000000000105 also of BMC 10.11.202.6");
    }

    @Test
    void keaAcceptsWhatIsLeftOfAHostileScan(@TempDir Path dir) throws Exception {
        Peers.requireCommands("kea-dhcp4");
        String json = KeaReservationsWriter.write(hostilePlan().hosts(), Ipv4Cidr.parse("10.12.1.0/24"), 1);
        Path conf = dir.resolve("kea.json");
        Files.writeString(conf, json);
        ProcessResult r = run(dir, Peers.which("kea-dhcp4").toString(), "-t", conf.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(json).contains("52:54:00:00:04:01").doesNotContain("52:54:00:00:0c:01").doesNotContain("01:00:5e")
                .doesNotContain("ffffffff-").doesNotContain("ff:ff:ff:ff:ff:ff");
    }

    @Test
    void dhcpdAndDnsmasqAcceptWhatIsLeftOfAHostileScan(@TempDir Path dir) throws Exception {
        Peers.requireCommands("dhcpd", "dnsmasq");
        List<PlannedHost> hosts = hostilePlan().hosts();
        Path dhcpd = dir.resolve("dhcpd.conf");
        Files.writeString(dhcpd, "subnet 10.12.1.0 netmask 255.255.255.0 { }\n" + DhcpdHostsWriter.write(hosts));
        ProcessResult d = run(dir, Peers.which("dhcpd").toString(), "-4", "-t", "-cf", dhcpd.toString());
        assertThat(d.exit()).as(d.output()).isZero();
        Path dnsmasq = dir.resolve("dnsmasq.conf");
        String lines = DnsmasqHostsWriter.write(hosts);
        Files.writeString(dnsmasq, "port=0\n" + lines);
        ProcessResult m = run(dir, Peers.which("dnsmasq").toString(), "--test", "-C", dnsmasq.toString());
        assertThat(m.exit()).as(m.output()).isZero();
        assertThat(lines + Files.readString(dhcpd)).doesNotContain("52:54:00:00:0c:01").doesNotContain("01:00:5e")
                .doesNotContain("ff:ff:ff:ff:ff:ff");
    }
}
