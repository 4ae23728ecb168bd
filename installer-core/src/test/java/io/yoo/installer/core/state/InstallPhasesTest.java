package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InstallPhasesTest {
    private static final Pattern SPEC = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    @Test
    void phase_names_are_checked_exactly_as_the_documented_pattern() {
        assertThat(InstallPhases.isValidName("install-os")).isTrue();
        assertThat(InstallPhases.isValidName("a".repeat(64))).isTrue();
        assertThat(InstallPhases.isValidName("a".repeat(65))).isFalse();
        assertThat(InstallPhases.isValidName("-x")).isFalse();
        assertThat(InstallPhases.isValidName("")).isFalse();
        assertThat(InstallPhases.isValidName(null)).isFalse();
        assertThat(InstallPhases.isValidName("Install")).isFalse();
        String alphabet = "az09._-A/ é\n";
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(70);
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = b.toString();
            assertThat(InstallPhases.isValidName(s)).as("'%s'", s).isEqualTo(SPEC.matcher(s).matches());
        }
    }
}
