package io.yoo.installer.ipmi.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    @Test
    void cidrRangesAndSinglesExpandInOrderWithoutDuplicates() {
        List<Ipv4> t = Targets.parse(List.of("10.0.0.0/30", "10.0.0.2-4", "10.0.1.250-10.0.2.1", "10.0.0.1"));
        assertThat(t).extracting(Ipv4::toString).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.1.250",
                "10.0.1.251", "10.0.1.252", "10.0.1.253", "10.0.1.254", "10.0.1.255", "10.0.2.0", "10.0.2.1");
    }

    @Test
    void fileErrorsNameTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bmcs.txt");
        Files.writeString(f, "# rack 1\n10.0.0.5   # first\n\n10.0.0.9-7\n");
        assertThatThrownBy(() -> Targets.parseFile(f)).hasMessageStartingWith(f + ":4: ").hasMessageContaining("ends before it starts");
        Files.writeString(f, "# rack 1\n10.0.0.5   # first\n\n10.0.0.7-9\n");
        assertThat(Targets.parseFile(f)).hasSize(4);
    }

    @Test
    void hugeTargetsAreRefused() {
        assertThatThrownBy(() -> Targets.parse(List.of("10.0.0.0/8"))).hasMessageContaining("more than");
    }
}
