package io.yoo.installer.dhcp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The announcer against the Linux kernel's ARP code as the peer: a neighbour (its own network
 * namespace, a veth to ours) has the address in its cache at another MAC; after one announcement
 * from our side, its cache holds our MAC. The announcement runs in a child JVM inside the test's
 * namespace (a packet socket sends on the namespace of the thread that opens it).
 */
class ArpAnnouncerTest {

    @Test
    void a_neighbours_cache_entry_moves_to_our_mac() throws Exception {
        Peers.requireCommands("ip");
        try (NetNs ours = NetNs.create("ga"); NetNs theirs = NetNs.create("gb")) {
            String[] ifs = NetNs.link(ours, "10.77.0.1/24", theirs, "10.77.0.2/24");
            String ourMac = ours.exec(10, "cat", "/sys/class/net/" + ifs[0] + "/address").strip();
            // the neighbour believes 10.77.0.50 is at another host's MAC (the server that held it before)
            theirs.exec(10, "ip", "neigh", "replace", "10.77.0.50", "lladdr", "02:00:00:00:00:01", "dev", ifs[1], "nud", "stale");
            // not synchronisation: the kernel ignores an update within locktime (1 s) of the entry's last change
            Thread.sleep(1100);
            ours.exec(60, java(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Announce.class.getName(), ifs[0], "10.77.0.50");
            String neigh = "";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end && !neigh.contains(ourMac)) {
                neigh = theirs.exec(10, "ip", "neigh", "show", "10.77.0.50", "dev", ifs[1]);
                Thread.sleep(50); // polling, bounded by end
            }
            assertThat(neigh).as("the neighbour's entry for 10.77.0.50").contains("lladdr " + ourMac);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code Announce IFACE ADDRESS}: one announcement, run inside the namespace. */
    public static final class Announce {
        public static void main(String[] args) throws Exception {
            ArpAnnouncer.on(args[0]).announce(Ipv4.parse(args[1]));
        }
    }
}
