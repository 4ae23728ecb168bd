package io.yoo.installer.dhcp.v6.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Dhcp6StatsTest {
    @Test
    void receivedBatchesAreCountedBySizeAndTheLongestRunOfWholeBatchesIsKept() {
        Dhcp6Stats s = new Dhcp6Stats();
        for (int n : new int[] {1, 3, 64, 64, 64, 5, 64, 40}) {
            s.batch(n, 64);
        }
        assertThat(s.toString()).contains("batches(1,2-3,..,32-63,64)=[1, 1, 1, 0, 0, 1, 4] longestFullRun=3");
    }
}
