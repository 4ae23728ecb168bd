package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile sizes: a file far over the limit, a megabyte-long value, deep nesting, and a large
 * but honest descriptor (5,000 machines), which must still validate quickly.
 */
class OversizeDescriptorTest {
    private static final String MEGA = "a".repeat(1_000_000);

    @TempDir
    Path dir;

    private static List<String> errors(ThrowingLoad load) {
        DescriptorException e = catchThrowableOfType(DescriptorException.class, load::run);
        assertThat(e).as("must not load").isNotNull();
        return e.errors().stream().map(DescriptorError::format).toList();
    }

    interface ThrowingLoad {
        void run() throws Exception;
    }

    @Test
    void a_file_over_the_limit_is_refused_before_it_is_read() throws IOException {
        Path big = dir.resolve("cluster.yml");
        Files.writeString(big, DescriptorLoaderTest.THREE_MACHINES);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(60L * 1024 * 1024); // sparse: 60 MB of NULs after the text, no disk used
        }
        List<String> errs = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> errors(() -> DescriptorLoader.load(big)));
        assertThat(errs).containsExactly(big + ": the descriptor is larger than 2 MiB (2097152 bytes), the limit: is it the right file?");
    }

    @Test
    void text_over_the_limit_is_refused_before_it_is_parsed() {
        String text = DescriptorLoaderTest.THREE_MACHINES + "x-pad: \"" + "a".repeat(DescriptorLoader.MAX_BYTES) + "\"\n";
        assertThat(errors(() -> DescriptorLoaderTest.parse(text))).singleElement().asString().contains("larger than 2 MiB");
    }

    @Test
    void a_file_just_under_the_limit_is_parsed() throws Exception {
        Path f = dir.resolve("padded.yml");
        StringBuilder text = new StringBuilder(DescriptorLoaderTest.THREE_MACHINES);
        String comment = "# " + "-".repeat(97) + "\n";
        while (text.length() + comment.length() <= DescriptorLoader.MAX_BYTES) {
            text.append(comment);
        }
        text.append("#".repeat(DescriptorLoader.MAX_BYTES - text.length() - 1)).append('\n');
        Files.writeString(f, text, StandardCharsets.UTF_8);
        assertThat(Files.size(f)).isEqualTo(DescriptorLoader.MAX_BYTES);
        assertThat(DescriptorLoader.load(f).machines()).hasSize(3);
    }

    static Stream<Arguments> megabyteValues() {
        String subnet = "  subnet: 10.12.0.0/16";
        String ip = "ip: 10.12.1.1 }";
        return Stream.of(
                Arguments.of("cluster: lab", "cluster: MEGA",
                        "1:10: cluster: the value is 1000000 characters long; this field holds at most 1024"),
                Arguments.of("  interface: eth1", "  interface: MEGA",
                        "4:14: network.interface: the value is 1000000 characters long; this field holds at most 1024"),
                Arguments.of(subnet, subnet + "\nos: { kernelArgs: \"MEGA\" }",
                        "7:19: os.kernelArgs: the value is 1000000 characters long; this field holds at most 2048"),
                Arguments.of(subnet, subnet + "\nos: { installDisk: /dev/MEGA }",
                        "7:20: os.installDisk: the value is 1000005 characters long; this field holds at most 4096"),
                Arguments.of(subnet, subnet + "\nsshKeys: [ssh-ed25519 MEGA]",
                        "7:11: sshKeys[0]: the value is 1000012 characters long; this field holds at most 16384"),
                Arguments.of(subnet, subnet + "\nproxy: http://MEGA",
                        "7:8: proxy: the value is 1000007 characters long; this field holds at most 2048"),
                Arguments.of(ip, "ip: 10.12.1.1, labels: { a: MEGA } }",
                        "8:75: machines[0].labels.a: the value is 1000000 characters long; this field holds at most 1024"),
                Arguments.of(subnet, subnet + "\n  ? MEGA\n  : 1",
                        "7:5: network: a key is too long: the value is 1000000 characters long; this field holds at most 512"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("megabyteValues")
    void a_megabyte_value_is_one_short_error_naming_the_field_and_its_limit(String from, String to, String expected) {
        String yaml = DescriptorLoaderTest.THREE_MACHINES.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement( to.replace("MEGA", MEGA)));
        assertThat(yaml).isNotEqualTo(DescriptorLoaderTest.THREE_MACHINES);
        List<String> errs = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> errors(() -> DescriptorLoaderTest.parse(yaml)));
        assertThat(errs).containsExactly("cluster.yml:" + expected);
    }

    @Test
    void deep_nesting_is_refused() {
        String yaml = DescriptorLoaderTest.THREE_MACHINES + "x-deep: " + "[".repeat(100) + "]".repeat(100) + "\n";
        assertThat(errors(() -> DescriptorLoaderTest.parse(yaml))).singleElement().asString().contains("Nesting Depth exceeded max 16");
    }

    /** A devtest cluster of {@code n} machines, one line each, as an operator would write it. */
    static String machines(int n) {
        StringBuilder sb = new StringBuilder("""
                cluster: big
                architecture: devtest
                network:
                  interface: eth1
                  server: 10.12.0.2
                  subnet: 10.12.0.0/16
                  gateway: 10.12.0.1
                  pool: 10.12.200.1-10.12.200.250
                os:
                  version: 4081.2.0
                machines:
                """);
        for (int i = 0; i < n; i++) {
            sb.append(String.format("  - { name: node-%d, role: %s, mac: \"52:54:00:%02x:%02x:%02x\", uuid: 4a1f3c2e-7b77-4e2a-9c1d-%012x, ip: 10.12.%d.%d }%n",
                    i, i == 0 ? "control-plane" : "worker", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, i + 1, 1 + i / 250, 1 + i % 250));
        }
        return sb.toString();
    }

    @Test
    void five_thousand_machines_validate_quickly() throws Exception {
        Path f = dir.resolve("big.yml");
        Files.writeString(f, machines(5000));
        DescriptorLoader.load(f); // warm-up: class loading and JIT, as a server that validates on every reload
        long start = System.nanoTime();
        ClusterDescriptor d = DescriptorLoader.load(f);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("5,000-machine descriptor (%d bytes) validated in %d ms%n", Files.size(f), millis);
        assertThat(d.machines()).hasSize(5000);
        // the target is 2 s on a loaded 2-core CI box; the bound is generous so a busy machine cannot fail it
        assertThat(millis).isLessThan(10_000);
    }
}
