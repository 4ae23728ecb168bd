package io.yoo.installer.dhcp.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real firmware through Yoo's DHCP: ../shared/e2e boots SeaBIOS + iPXE ROM and OVMF in QEMU. Yoo
 * answers DHCP (PXE → TFTP iPXE binary → iPXE → chain script URL, then the test OS's udhcpc gets a
 * plain lease); the kit's stand-in serves TFTP (dnsmasq with DHCP off) and HTTP.
 */
class FirmwareBootTest {
    @TempDir
    Path tmp;

    @Test
    void biosAndUefiFirmwareBootWithYooAsTheDhcpServer() throws Exception {
        boot("full", "");
    }

    /** dnsmasq hands out addresses (and nothing to boot); Yoo in proxy mode adds the boot files. */
    @Test
    void biosAndUefiFirmwareBootWithYooAsProxyDhcpBesideDnsmasq() throws Exception {
        boot("proxy", " --dhcp-range=10.77.0.100,10.77.0.199,255.255.255.0,10m --dhcp-leasefile=\"$YOO_STATE/stub/leases\"");
    }

    private void boot(String mode, String dnsmasqDhcp) throws Exception {
        Peers.requireRoot();
        Peers.requireCommands("qemu-system-x86_64", "dnsmasq", "python3");
        Path kit = Peers.shared().resolve("e2e");
        Path testos = Path.of(System.getProperty("yoo.testos", "/var/tmp/yoo-testos"));
        Peers.require(Files.exists(testos.resolve("vmlinuz")), "e2e test OS missing: ../shared/e2e/build-testos.sh " + testos);
        String java = ProcessHandle.current().info().command().orElse("java");
        String start = String.join("\n",
                "set -e",
                "K=" + kit,
                // the stand-in gives its servers 5 s to listen; a loaded CI machine may need a second try
                "\"$K/stub-servers.sh\" start \"$YOO_STATE/stub\" \"$YOO_TESTOS\" >/dev/null || \"$K/stub-servers.sh\" start \"$YOO_STATE/stub\" \"$YOO_TESTOS\" >/dev/null",
                // keep the stand-in's HTTP, replace its dnsmasq by a TFTP-only one: DHCP is Yoo's
                "kill $(cat \"$YOO_STATE/stub/dnsmasq.pid\"); sleep 0.5",
                "ip netns exec \"$YOO_NS\" dnsmasq --port=0 --enable-tftp --tftp-root=\"$YOO_STATE/stub/tftp\""
                        + " --interface=\"$YOO_BR\" --bind-interfaces --pid-file=\"$YOO_STATE/stub/dnsmasq.pid\" --user=root --group=root"
                        + dnsmasqDhcp,
                // proxy: Yoo is another host on the segment (its own namespace, 10.77.0.2, a port of the bridge)
                "full".equals(mode) ? "YNS=$YOO_NS; YIF=$YOO_BR; YADDR=$YOO_SRV_ADDR"
                        : String.join("\n", "YNS=${YOO_NS}y; YIF=yv0; YADDR=10.77.0.2", "ip netns add $YNS",
                                "ip link add yv0 netns $YNS type veth peer name yv1 netns $YOO_NS",
                                "ip -n $YOO_NS link set yv1 master $YOO_BR up", "ip -n $YNS addr add 10.77.0.2/24 dev yv0",
                                "ip -n $YNS link set yv0 up", "ip -n $YNS link set lo up"),
                "ip netns exec $YNS " + java + " --enable-native-access=ALL-UNNAMED -cp '"
                        + System.getProperty("java.class.path") + "' " + FirmwareServerMain.class.getName()
                        + " --mode " + mode + " --server $YADDR --tftp-server \"$YOO_SRV_ADDR\" --subnet 10.77.0.0/24"
                        + ("full".equals(mode) ? ",10.77.0.100-10.77.0.199" : "") + " --iface $YIF"
                        + " --http-base \"http://$YOO_SRV_ADDR:$YOO_HTTP_PORT\" > \"$YOO_STATE/yoo.log\" 2>&1 &",
                "echo $! > \"$YOO_STATE/yoo.pid\"",
                "for i in $(seq 150); do grep -q READY \"$YOO_STATE/yoo.log\" && exit 0; sleep 0.2; done; exit 1");
        String stop = "kill -9 $(cat \"$YOO_STATE/yoo.pid\") 2>/dev/null; " + kit + "/stub-servers.sh stop \"$YOO_STATE/stub\";"
                + " ip netns del \"${YOO_NS}y\" 2>/dev/null; true";
        Path out = tmp.resolve("e2e");
        ProcessBuilder pb = new ProcessBuilder("bash", kit.resolve("run-e2e.sh").toString(), "--testos", testos.toString(),
                "--out", out.toString(), "--accel", System.getProperty("yoo.e2e.accel", "tcg"), "--timeout", "150")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("run-e2e.log").toFile());
        pb.environment().putAll(Map.of("YOO_NS", "ydhe2" + mode.charAt(0), "YOO_BR", "ydhe2" + mode.charAt(0) + "br", "YOO_SERVER_START", start,
                "YOO_SERVER_STOP", stop));
        Process p = pb.start();
        boolean done = p.waitFor(400, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String summary = Files.exists(out.resolve("summary.txt")) ? Files.readString(out.resolve("summary.txt")) : "";
        String log = Files.readString(tmp.resolve("run-e2e.log"));
        String yooLog = Files.exists(out.resolve("server/yoo.log")) ? String.join("\n",
                tail(Files.readAllLines(out.resolve("server/yoo.log")), 5)) : "";
        assertThat(done && p.exitValue() == 0).as("run-e2e.sh passed:\n%s\n%s\nyoo: %s", summary, log, yooLog).isTrue();
        assertThat(summary).containsPattern("bios\\s+PASS").containsPattern("uefi\\s+PASS");
    }

    private static List<String> tail(List<String> l, int n) {
        return l.subList(Math.max(0, l.size() - n), l.size());
    }
}
