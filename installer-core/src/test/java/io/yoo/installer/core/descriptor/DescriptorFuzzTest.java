package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Descriptors are user input: whatever is in the file, the loader either returns a descriptor
 * or a DescriptorException with positioned errors, never another exception. Mutates the
 * examples at random: 300 cases by default, {@code -Dyoo.fuzz.cases=N} for a longer run,
 * {@code -Dyoo.fuzz.seed=S} to replay a failure (the seed is in the assertion message).
 */
class DescriptorFuzzTest {
    static final String CHARS = " :-[]{}\n\t\"'#&*!|>%@,.0123456789abcdefxyz/<";

    static String mutate(String text, Random random) {
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
        long seed = Long.getLong("yoo.fuzz.seed", 20261128L);
        int cases = Integer.getInteger("yoo.fuzz.cases", 300);
        Random random = new Random(seed);
        int rejected = 0;
        for (int c = 0; c < cases; c++) {
            String example = DescriptorLoader.exampleText(DescriptorLoader.EXAMPLES.get(random.nextInt(4)));
            String yaml = mutate(example, random);
            String context = "seed " + seed + ", case " + c + ":\n" + yaml;
            try {
                DescriptorLoader.parse(yaml, Path.of("fuzz.yml"), Path.of("/tmp"));
            } catch (DescriptorException e) {
                rejected++;
                int lines = yaml.split("\n", -1).length;
                assertThat(e.errors()).as(context).isNotEmpty().allSatisfy(err -> {
                    assertThat(err.line()).as(context).isBetween(1, lines + 1);
                    assertThat(err.column()).as(context).isPositive();
                    assertThat(err.message()).as(context).isNotBlank().doesNotContain("null");
                });
            } catch (RuntimeException e) {
                throw new AssertionError("loader threw " + e + " for " + context, e);
            }
        }
        assertThat(rejected).as("the mutations must actually break descriptors").isGreaterThan(cases / 4);
    }
}
