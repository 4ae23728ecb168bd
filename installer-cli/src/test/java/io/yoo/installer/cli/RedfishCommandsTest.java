package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.ipmi.testsupport.RedfishMockServer;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.testsupport.SkipTestsWhenBeforeAllAborts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code yoo ipmi-scan -p redfish}, {@code power} and {@code reprovision} against the DMTF mockup on loopback HTTPS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SkipTestsWhenBeforeAllAborts.class) // a missing peer skips each test with its reason
class RedfishCommandsTest {
    @TempDir
    static Path work;
    private RedfishMockServer bmc;

    @BeforeAll
    void start() throws Exception {
        bmc = RedfishMockServer.start(work, true);
    }

    @AfterAll
    void stop() {
        if (bmc != null) {
            bmc.close();
        }
    }

    record Run(int exit, String out) {}

    private Run yoo(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(ps);
        System.setErr(ps);
        try {
            int exit = Yoo.commandLine().execute(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String[] login(String... first) {
        String[] rest = {"--redfish-port", Integer.toString(bmc.port()), "--pin", bmc.fingerprint(), "--password", RedfishMockServer.PASSWORD};
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void scanFindsTheMockupsNicMacsAndWritesDhcpConfigsTheDaemonsAccept() throws Exception {
        Path dnsmasq = work.resolve("dnsmasq.conf");
        Path kea = work.resolve("kea.json");
        Path dhcpd = work.resolve("hosts.conf");
        Path json = work.resolve("reports.json");
        Run r = yoo(login("ipmi-scan", "127.0.0.1", "-p", "redfish", "--index", "n + 7", "--dnsmasq", dnsmasq.toString(), "--kea",
                kea.toString(), "--dhcpd", dhcpd.toString(), "--json", json.toString()));
        var report = new ObjectMapper().readTree(json.toFile()).get(0);
        assertThat(report.path("status").asText()).isEqualTo("OK");
        assertThat(report.path("hostMacs").toString()).isEqualTo("[\"12:44:6a:3b:04:11\",\"12:44:6a:3b:88:90\"]");
        assertThat(report.path("host").path("name").asText()).isEqualTo("core-1-7");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("127\\.0\\.0\\.1\\s+OK\\s+redfish\\s+23:11:8a:33:cf:ea\\s+38947555-7742-3448-3784-823347823834");
        assertThat(Files.readString(dnsmasq)).contains("dhcp-host=12:44:6a:3b:04:11,12:44:6a:3b:88:90,10.12.1.7,core-1-7");
        assertThat(Files.readString(dhcpd)).contains("host core-1-7 { hardware ethernet 12:44:6a:3b:04:11; fixed-address 10.12.1.7; }");
        Peers.requireCommands("dnsmasq", "kea-dhcp4", "dhcpd");
        Path conf = work.resolve("d.conf");
        Files.writeString(conf, "port=0\n" + Files.readString(dnsmasq));
        assertThat(new ProcessBuilder(Peers.which("dnsmasq").toString(), "--test", "-C", conf.toString()).start().waitFor()).isZero();
        assertThat(new ProcessBuilder(Peers.which("kea-dhcp4").toString(), "-t", kea.toString()).start().waitFor()).isZero();
        Path dconf = work.resolve("dhcpd.conf");
        Files.writeString(dconf, "subnet 10.12.1.0 netmask 255.255.255.0 { }\n" + Files.readString(dhcpd));
        assertThat(new ProcessBuilder(Peers.which("dhcpd").toString(), "-4", "-t", "-cf", dconf.toString()).start().waitFor()).isZero();
    }

    @Test
    void pinFileGivesEachBmcItsOwnCertificate() throws Exception {
        Path pins = work.resolve("pins.txt");
        Files.writeString(pins, "# rack 1\n127.0.0.1 sha256 Fingerprint=" + bmc.fingerprint().replaceAll("(..)(?!$)", "$1:").toUpperCase()
                + "\n10.0.0.9 " + "ab".repeat(32) + "\n");
        Run ok = yoo("ipmi-scan", "127.0.0.1", "-p", "redfish", "--redfish-port", Integer.toString(bmc.port()), "--password",
                RedfishMockServer.PASSWORD, "--pin-file", pins.toString());
        assertThat(ok.out()).as(ok.out()).containsPattern("127\\.0\\.0\\.1\\s+OK");
        Files.writeString(pins, "127.0.0.1\n");
        Run bad = yoo("ipmi-scan", "127.0.0.1", "-p", "redfish", "--password", "x", "--pin-file", pins.toString());
        assertThat(bad.exit()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(bad.out()).contains(pins + ":1: expected 'ADDRESS SHA256'");
    }

    @Test
    void unpinnedCertificateIsRefusedWithAHint() {
        Run r = yoo("ipmi-scan", "127.0.0.1", "-p", "redfish", "--redfish-port", Integer.toString(bmc.port()), "--password", "secret");
        assertThat(r.out()).contains("ERROR").contains("--insecure");
    }

    @Test
    void powerAndReprovisionUseTheResetActionAndBootOverride() {
        Run off = yoo(login("power", "rack1", "off", "--bmc", "127.0.0.1", "--protocol", "redfish"));
        assertThat(off.out()).as(off.out()).contains("power off");
        Run re = yoo(login("reprovision", "rack1", "--bmc", "127.0.0.1", "--protocol", "redfish"));
        assertThat(re.exit()).as(re.out()).isZero();
        assertThat(bmc.actions()).contains("/redfish/v1/Systems/437XR1138R2 ForceOff", "/redfish/v1/Systems/437XR1138R2 On");
        assertThat(bmc.calls()).anyMatch(c -> c.method().equals("PATCH") && c.body().contains("\"BootSourceOverrideMode\":\"UEFI\"")
                && c.body().contains("\"BootSourceOverrideEnabled\":\"Once\""));
        Run cycle = yoo(login("power", "rack1", "cycle", "--bmc", "127.0.0.1", "--protocol", "redfish"));
        assertThat(cycle.out()).contains("power on");
        assertThat(bmc.actions().getLast()).endsWith("ForceRestart"); // PowerCycle is not among the mockup's allowed types
    }

    /** The dev example with a bmc: block for devbox at {@code address} (a literal password: tests cannot set variables). */
    static Path descriptorWithBmc(Path dir, String address, String protocol) throws Exception {
        Path f = dir.resolve("cluster-" + protocol + ".yml");
        Files.writeString(f, DescriptorLoader.exampleText("dev")
                + "    bmc: { address: \"" + address + "\", protocol: " + protocol + ", username: admin, password: "
                + RedfishMockServer.PASSWORD + " }\n");
        return f;
    }

    @Test
    void aDescriptorBmcAddressWithItsPortIsUsedAsIs() throws Exception {
        Path f = descriptorWithBmc(work, "127.0.0.1:" + bmc.port(), "redfish");
        // --redfish-port names a closed port: the address's own port must win
        Run status = yoo("power", "devbox", "status", "-d", f.toString(), "--redfish-port", "9", "--pin", bmc.fingerprint());
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains("devbox (redfish://admin@127.0.0.1:" + bmc.port() + "): power");
        Run re = yoo("reprovision", "devbox", "-d", f.toString(), "--pin", bmc.fingerprint());
        assertThat(re.exit()).as(re.out()).isZero();
        Run direct = yoo("power", "devbox", "status", "--bmc", "127.0.0.1:" + bmc.port(), "--protocol", "redfish", "--pin", bmc.fingerprint(),
                "--password", RedfishMockServer.PASSWORD);
        assertThat(direct.exit()).as(direct.out()).isZero();
        Run bad = yoo("power", "devbox", "status", "--bmc", "127.0.0.1:8443:443", "--protocol", "redfish", "--password", "x");
        assertThat(bad.exit()).as(bad.out()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(bad.out()).contains("BMC address '127.0.0.1:8443:443'");
    }

    @Test
    void jsonAloneIsTheOnlyThingOnStdout() throws Exception {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = Yoo.commandLine().execute(login("ipmi-scan", "127.0.0.1", "-p", "redfish", "--index", "n + 7", "--json"));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        var reports = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(reports.isArray()).isTrue();
        assertThat(reports.get(0).path("host").path("name").asText()).isEqualTo("core-1-7");
        assertThat(stderr).contains("BMC ").containsPattern("127\\.0\\.0\\.1\\s+OK");
        Run swallowed = yoo(login("ipmi-scan", "-p", "redfish", "--json", "127.0.0.1"));
        assertThat(swallowed.exit()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(swallowed.out()).contains("--json took '127.0.0.1' as its FILE");
    }
}
