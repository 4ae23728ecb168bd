package io.yoo.installer.dhcp.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lease perfdhcp got an ACK for is in the journal after kill -9 of the server, and a
 * restarted server knows them all.
 */
class LeasePersistenceTest {
    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedLeaseSurvivesKill9AndRestart() throws Exception {
        Peers.requireCommands("perfdhcp");
        Path leases = tmp.resolve("leases");
        String[] args = {"--server", "10.98.0.1", "--subnet", "10.98.0.0/16,10.98.1.0-10.98.4.255", "--lease-dir",
            leases.toString()};
        try (NetNs srv = NetNs.create("ls"); NetNs cli = NetNs.create("lc")) {
            NetNs.link(srv, "10.98.0.1/16", cli, "10.98.0.2/16");
            long acks;
            try (ServerProcess s = ServerProcess.start(srv, args)) {
                // relay mode (giaddr 10.98.0.2), 300 new clients a second for 3 s
                NetNs.Result r = cli.run(30, "perfdhcp", "-4", "-l", "10.98.0.2", "-r", "300", "-R", "1000", "-p", "3",
                        "10.98.0.1");
                acks = receivedAcks(r.output());
                s.kill9(); // at once: no shutdown hook, no close, no final flush
            }
            assertThat(acks).as("perfdhcp got ACKs").isGreaterThan(300);
            long journaled = Files.readAllLines(leases.resolve(LeaseStore.FILE)).stream().filter(l -> l.startsWith("B "))
                    .map(l -> l.split(" ")[1]).distinct().count();
            assertThat(journaled).as("journaled leases vs ACKs perfdhcp received").isGreaterThanOrEqualTo(acks);
            try (ServerProcess again = ServerProcess.start(srv, args)) {
                String line = again.output.stream().filter(l -> l.startsWith("LEASES ")).findFirst().orElseThrow();
                assertThat(Long.parseLong(line.substring(7))).isGreaterThanOrEqualTo(acks);
            }
        }
    }

    private static long receivedAcks(String perfdhcp) {
        Matcher m = Pattern.compile("Statistics for: REQUEST-ACK\\*+\\s+sent packets: \\d+\\s+received packets: (\\d+)")
                .matcher(perfdhcp);
        assertThat(m.find()).as("perfdhcp output: %s", perfdhcp).isTrue();
        return Long.parseLong(m.group(1));
    }
}
