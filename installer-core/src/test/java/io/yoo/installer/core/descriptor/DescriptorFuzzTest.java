package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Fuzz;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Descriptors are user input: whatever is in the file, the loader either returns a descriptor
 * or a DescriptorException with positioned errors, never another exception. Mutates the
 * examples at random: 300 cases by default, {@code -Dyoo.fuzz.tries=N} for a longer run,
 * {@code -Dyoo.fuzz.seed=S} to replay a failure (the case seed is in the assertion message).
 * Knobs and loop: {@link Fuzz}.
 */
class DescriptorFuzzTest {
    static final String CHARS = " :-[]{}\n\t\"'#&*!|>%@,.0123456789abcdefxyz/<";

    static String mutate(String text, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(sb.length() + 1);
            int end = Math.min(sb.length(), at + random.nextInt(13));
            StringBuilder insert = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                insert.append(CHARS.charAt(random.nextInt(CHARS.length())));
            }
            sb.replace(at, end, insert.toString());
        }
        return sb.toString();
    }

    @Test
    void any_mutation_loads_or_fails_with_positioned_errors() {
        int[] rejected = {0};
        Fuzz.forAll(300, random -> mutate(DescriptorLoader.exampleText(DescriptorLoader.EXAMPLES.get(random.nextInt(4))), random), yaml -> {
            try {
                DescriptorLoader.parse(yaml, Path.of("fuzz.yml"), Path.of("/tmp"));
            } catch (DescriptorException e) {
                rejected[0]++;
                int lines = yaml.split("\n", -1).length;
                assertThat(e.errors()).isNotEmpty().allSatisfy(err -> {
                    assertThat(err.line()).isBetween(1, lines + 1);
                    assertThat(err.column()).isPositive();
                    assertThat(err.message()).isNotBlank().doesNotContain("null");
                });
            } catch (RuntimeException e) {
                throw new AssertionError("loader threw " + e, e);
            }
        });
        int tries = Fuzz.tries(300);
        if (tries >= 100) { // not when replaying a single case
            assertThat(rejected[0]).as("the mutations must actually break descriptors").isGreaterThan(tries / 4);
        }
    }
}
