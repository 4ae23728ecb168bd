package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.testsupport.Peers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BootEndpointsTest extends TestServerCase {
    @Test
    void chainScriptAsksForTheMachineScriptByMac() throws Exception {
        Peers.requireCommands("curl");
        TestServer.Curl c = TestServer.curl(s.base() + "/boot.ipxe");
        assertThat(c.exit()).isZero();
        assertThat(c.text()).startsWith("#!ipxe\n").contains("chain --replace --autofree /boot/by-mac/${mac:hexhyp}.ipxe?uuid=${uuid}&arch=${buildarch}");
    }

    /**
     * An installed machine's iPXE is sent here (installer-core's BootFileSelector decides): the
     * script is core's, which leaves UEFI firmware to its next boot entry instead of trying a
     * BIOS drive number it has no INT 13h for.
     */
    @Test
    void localBootScriptIsCoresWithTheUefiExit() throws Exception {
        HttpResponse<String> r = s.get(BootFileSelector.LOCAL_BOOT_PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(BootFileSelector.LOCAL_BOOT_SCRIPT)
                .startsWith("#!ipxe").contains("iseq ${platform} efi && exit ||").contains("sanboot --no-describe --drive 0x80");
    }

    @Test
    void scriptByMacIsServedToItsReservedAddressAndMarksTheMachineBooting() throws Exception {
        Peers.requireCommands("curl");
        TestServer.Curl c = TestServer.curl("-w", "\n%{http_code}", s.base() + "/boot/by-mac/52:54:00:00:00:0a.ipxe?uuid=x&arch=x86_64");
        assertThat(c.text()).contains("# machine node-a").contains("yoo.callback=" + s.base() + "/api/v1/machines/node-a/events?token=")
                .endsWith("\n200");
        // sightings are stored after the answer (StateStore.observeLater): wait for it, bounded
        awaitState("node-a", MachineState.BOOTING);
        assertThat(s.store.history("node-a", 10).getFirst().source().key()).isEqualTo("http");
        // dashed form works too
        assertThat(s.get("/boot/by-mac/52-54-00-00-00-0a.ipxe").statusCode()).isEqualTo(200);
    }

    @Test
    void scriptByMacFromAnotherAddressIsForbidden() throws Exception {
        HttpResponse<String> r = s.get("/boot/by-mac/52:54:00:00:00:0b.ipxe");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("node-b").doesNotContain("token");
        assertThat(s.store.stateOf("node-b")).isEqualTo(MachineState.UNKNOWN);
    }

    @Test
    void unknownAndMalformedMacs() throws Exception {
        assertThat(s.get("/boot/by-mac/52:54:00:99:99:99.ipxe").statusCode()).isEqualTo(404);
        assertThat(s.get("/boot/by-mac/not-a-mac.ipxe").statusCode()).isEqualTo(400);
    }

    @Test
    void perMachineFilesNeedTheTokenAndTheReservedAddress() throws Exception {
        Peers.requireCommands("curl");
        String ta = s.tokens.tokenFor("node-a");
        for (String file : new String[] {"boot.ipxe", "grub.cfg", "pxelinux.cfg", "live-config", "config", "install.sh", "kubeadm.yaml",
                "join-token", "join-tokens"}) {
            TestServer.Curl ok = TestServer.curl("-D", "-", s.base() + "/m/node-a/" + ta + "/" + file);
            assertThat(ok.text()).as(file).startsWith("HTTP/1.1 200").containsIgnoringCase("cache-control: no-store").contains("node-a");
        }
        assertThat(s.get("/m/node-a/" + ta + "/config").body()).isEqualTo("config for node-a secret=s3cr3t-node-a\n");
        // the join tokens: same guard as every per-machine file
        assertThat(s.get("/m/node-a/" + s.tokens.tokenFor("node-c") + "/join-token").statusCode()).isEqualTo(403);
        assertThat(s.get("/m/node-b/" + s.tokens.tokenFor("node-b") + "/join-tokens").statusCode()).isEqualTo(403);
        // another machine's token, a made-up token, no token segment
        assertThat(s.get("/m/node-a/" + s.tokens.tokenFor("node-c") + "/config").statusCode()).isEqualTo(403);
        assertThat(s.get("/m/node-a/AAAAAAAAAAAAAAAAAAAAAA/config").statusCode()).isEqualTo(403);
        assertThat(s.get("/m/node-a/config").statusCode()).isEqualTo(404);
        // right token, wrong source address (node-b is reserved 10.9.9.9)
        HttpResponse<String> b = s.get("/m/node-b/" + s.tokens.tokenFor("node-b") + "/config");
        assertThat(b.statusCode()).isEqualTo(403);
        assertThat(b.body()).doesNotContain("s3cr3t");
        // unknown machine
        assertThat(s.get("/m/nobody/" + s.tokens.tokenFor("nobody") + "/config").statusCode()).isEqualTo(403);
    }

    @Test
    void artifactThatDoesNotApplyIs404() throws Exception {
        assertThat(s.get("/m/node-c/" + s.tokens.tokenFor("node-c") + "/kubeadm.yaml").statusCode()).isEqualTo(404);
        assertThat(s.get("/m/node-c/" + s.tokens.tokenFor("node-c") + "/unknown-file").statusCode()).isEqualTo(404);
    }

    @Test
    void bootFilesAreReadOnly() throws Exception {
        Peers.requireCommands("curl");
        TestServer.Curl c = TestServer.curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", s.base() + "/boot.ipxe");
        assertThat(c.text()).isEqualTo("405");
    }

    /** Polls the store until {@code machine} is in {@code state}, at most 10 s (the write is queued). */
    private void awaitState(String machine, MachineState state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.store.stateOf(machine) != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(s.store.stateOf(machine)).isEqualTo(state);
    }
}
