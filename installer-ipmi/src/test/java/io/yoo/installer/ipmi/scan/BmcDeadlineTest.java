package io.yoo.installer.ipmi.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.ipmi.codec.CipherSuite;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A BMC whose waits would add up to far more than its deadline is cut at the deadline, however its probe is stuck. */
class BmcDeadlineTest {
    @Test
    void aSilentIpmiBmcIsAbandonedAtItsDeadline() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            AtomicInteger datagrams = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[512];
                while (!silent.isClosed()) {
                    try {
                        silent.receive(new DatagramPacket(buf, buf.length)); // read, never answer: no ICMP unreachable either
                        datagrams.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            // 4 s per try, 5 retries: 24 s of waiting without a deadline
            ScanOptions o = ScanOptions.ipmi("admin", "pw").withIpmi(CipherSuite.SUITE_3, silent.getLocalPort(), Duration.ofSeconds(4), 5)
                    .withDeadline(Duration.ofSeconds(1));
            long start = System.nanoTime();
            List<BmcReport> r = new BmcScanner(o).scan(List.of(Ipv4.parse("127.0.0.1")), ScanListener.NONE);
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertThat(datagrams.get()).as("the BMC was asked").isPositive();
            assertThat(ms).as("far below the 24 s the retries would take").isLessThan(15_000);
            assertThat(r.getFirst().status()).isEqualTo(ScanStatus.ERROR);
            assertThat(r.getFirst().problems()).containsExactly("no answer within the deadline of 1 s for this BMC");
        }
    }
}
