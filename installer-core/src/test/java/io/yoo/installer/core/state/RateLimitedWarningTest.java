package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitedWarningTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void the_first_is_written_at_once_then_one_per_interval_counting_what_was_left_out() {
        List<String> lines = new ArrayList<>();
        RateLimitedWarning w = new RateLimitedWarning(Duration.ofMinutes(1), lines::add);
        long t = -5 * S; // nanoTime may be negative: the first line must not depend on its sign
        w.warn(t, () -> "down");
        w.warn(t + S, () -> "down");
        w.warn(t + 59 * S, () -> "down");
        assertThat(lines).containsExactly("down");
        w.warn(t + 60 * S, () -> "still down");
        assertThat(lines).containsExactly("down", "still down (2 more like it since the last such line, not logged)");
        w.warn(t + 200 * S, () -> "again");
        assertThat(lines).last().isEqualTo("again");
    }
}
