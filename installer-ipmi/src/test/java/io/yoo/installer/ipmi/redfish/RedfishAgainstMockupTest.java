package io.yoo.installer.ipmi.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.scan.BmcReport;
import io.yoo.installer.ipmi.scan.BmcScanner;
import io.yoo.installer.ipmi.scan.ScanOptions;
import io.yoo.installer.ipmi.scan.ScanStatus;
import io.yoo.installer.ipmi.testsupport.RedfishMockServer;
import io.yoo.installer.testsupport.SkipTestsWhenBeforeAllAborts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Redfish client and the scanner against DMTF's rack-server mockup served over HTTPS with a self-signed certificate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SkipTestsWhenBeforeAllAborts.class) // a missing peer skips each test with its reason
class RedfishAgainstMockupTest {
    private static final String SYSTEM = "/redfish/v1/Systems/437XR1138R2";
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

    private ScanOptions options(String password, TlsTrust trust, RedfishConfig.Auth auth, int port) {
        return ScanOptions.ipmi(RedfishMockServer.USER, password).withProtocols(List.of(BmcProtocol.REDFISH))
                .withRedfish("https", port, auth, trust).withIpmi(CipherSuite.SUITE_3, 623, Duration.ofSeconds(2), 0);
    }

    private BmcReport scan(ScanOptions o) {
        return new BmcScanner(o).scanOne(Ipv4.parse("127.0.0.1"));
    }

    private RedfishConfig config(TlsTrust trust, RedfishConfig.Auth auth) {
        return new RedfishConfig(URI.create("https://127.0.0.1:" + bmc.port()), RedfishMockServer.USER, RedfishMockServer.PASSWORD, auth,
                trust, Duration.ofSeconds(5));
    }

    @Test
    void scanWithPinnedCertificateFindsTheMockupsNicMacsUuidAndSerial() {
        int before = bmc.openSessions();
        BmcReport r = scan(options(RedfishMockServer.PASSWORD, TlsTrust.pinned(bmc.fingerprint()), RedfishConfig.Auth.SESSION, bmc.port()));
        assertThat(r.status()).as(r.problems().toString()).isEqualTo(ScanStatus.OK);
        // physical NICs by permanent MAC; not the VLAN, not the host-to-BMC interface
        assertThat(r.hostMacs()).containsExactly(MacAddress.parse("12:44:6A:3B:04:11"), MacAddress.parse("12:44:6A:3B:88:90"));
        assertThat(r.uuid().orElseThrow()).hasToString("38947555-7742-3448-3784-823347823834");
        assertThat(r.serial()).contains("437XR1138R2");
        assertThat(r.bmcMac()).contains(MacAddress.parse("23:11:8A:33:CF:EA"));
        assertThat(r.bmcIp()).contains(Ipv4.parse("192.168.0.10"));
        assertThat(bmc.openSessions()).as("session deleted at the end").isEqualTo(before);
        assertThat(bmc.calls()).filteredOn(c -> c.path().contains("EthernetInterfaces/")).allMatch(c -> c.auth().equals("token"));
    }

    @Test
    void certificatesAreNeverTrustedSilently() {
        BmcReport system = scan(options(RedfishMockServer.PASSWORD, TlsTrust.system(), RedfishConfig.Auth.SESSION, bmc.port()));
        assertThat(system.status()).isEqualTo(ScanStatus.ERROR);
        assertThat(system.problems().toString()).contains("pin the BMC certificate").contains("--insecure");
        String wrong = "00".repeat(32);
        BmcReport pinnedWrong = scan(options(RedfishMockServer.PASSWORD, TlsTrust.pinned(wrong), RedfishConfig.Auth.SESSION, bmc.port()));
        assertThat(pinnedWrong.status()).isEqualTo(ScanStatus.ERROR);
        BmcReport insecure = scan(options(RedfishMockServer.PASSWORD, TlsTrust.insecure(), RedfishConfig.Auth.SESSION, bmc.port()));
        assertThat(insecure.status()).isEqualTo(ScanStatus.OK);
        assertThatThrownBy(() -> TlsTrust.pinned("abc")).hasMessageContaining("64 hex digits");
    }

    @Test
    void wrongPasswordIsAuthFailedAndClosedPortUnreachable() throws Exception {
        assertThat(scan(options("nope", TlsTrust.insecure(), RedfishConfig.Auth.SESSION, bmc.port())).status()).isEqualTo(ScanStatus.AUTH_FAILED);
        assertThat(scan(options("nope", TlsTrust.insecure(), RedfishConfig.Auth.BASIC, bmc.port())).status()).isEqualTo(ScanStatus.AUTH_FAILED);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(scan(options(RedfishMockServer.PASSWORD, TlsTrust.insecure(), RedfishConfig.Auth.SESSION, closed)).status())
                .isEqualTo(ScanStatus.UNREACHABLE);
    }

    @Test
    void basicAuthWorksWhenTheServiceHasNoSessions() throws Exception {
        try (RedfishMockServer noSessions = RedfishMockServer.start(work, false)) {
            BmcReport r = scan(options(RedfishMockServer.PASSWORD, TlsTrust.pinned(noSessions.fingerprint()), RedfishConfig.Auth.SESSION,
                    noSessions.port()));
            assertThat(r.status()).isEqualTo(ScanStatus.OK);
            assertThat(r.hostMacs()).hasSize(2);
            assertThat(noSessions.calls()).filteredOn(c -> c.path().contains("EthernetInterfaces/")).allMatch(c -> c.auth().equals("basic"));
        }
    }

    @Test
    void pxeOverrideIsPatchedAndResetPosted() throws Exception {
        try (RedfishClient c = RedfishClient.connect(config(TlsTrust.pinned(bmc.fingerprint()), RedfishConfig.Auth.SESSION))) {
            c.setBootOverride(SYSTEM, "Pxe", false, "Legacy");
            c.reset(SYSTEM, "ForceOff");
            assertThat(c.get(SYSTEM).path("PowerState").asText()).isEqualTo("Off");
            c.reset(SYSTEM, "On");
            var boot = c.get(SYSTEM).path("Boot");
            assertThat(boot.path("BootSourceOverrideTarget").asText()).isEqualTo("Pxe");
            assertThat(boot.path("BootSourceOverrideEnabled").asText()).isEqualTo("Once");
            assertThat(boot.path("BootSourceOverrideMode").asText()).isEqualTo("Legacy");
            assertThat(c.get(SYSTEM).path("PowerState").asText()).isEqualTo("On");
            assertThatThrownBy(() -> c.reset(SYSTEM, "PowerCycle")).hasMessageContaining("not allowed");
        }
        assertThat(bmc.actions()).containsSubsequence(SYSTEM + " ForceOff", SYSTEM + " On");
        assertThat(bmc.calls()).anyMatch(k -> k.method().equals("PATCH") && k.body().contains("\"BootSourceOverrideTarget\":\"Pxe\""));
    }
}
