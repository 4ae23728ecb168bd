package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code descriptors/broken/} holds one kind of mistake and, in
 * {@code # expect:} comments at its end, exactly the errors the loader must report
 * ({@code line:column: field: message}). All of them, in file order, nothing more.
 */
class BrokenDescriptorsTest {

    static Path dir() throws URISyntaxException {
        return Path.of(BrokenDescriptorsTest.class.getResource("/descriptors/broken").toURI());
    }

    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        return Files.list(dir()).filter(p -> p.toString().endsWith(".yml")).sorted();
    }

    @Test
    void there_are_at_least_fifteen_kinds_of_mistake() throws Exception {
        assertThat(fixtures().count()).isGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reports_exactly_the_expected_errors_with_positions(Path fixture) throws IOException {
        List<String> expected = Files.readAllLines(fixture).stream()
                .filter(l -> l.startsWith("# expect:"))
                .map(l -> l.substring("# expect:".length()))
                .toList();
        assertThat(expected).as("fixture %s has no '# expect:' lines", fixture.getFileName()).isNotEmpty();

        DescriptorException e = catchThrowableOfType(DescriptorException.class, () -> DescriptorLoader.load(fixture));

        assertThat(e).as("%s must not load", fixture.getFileName()).isNotNull();
        String prefix = fixture.toString() + ":";
        List<String> actual = e.errors().stream().map(DescriptorError::format).peek(f -> assertThat(f).startsWith(prefix))
                .map(f -> f.substring(prefix.length())).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void a_missing_file_is_one_error_about_the_whole_file() {
        Path missing = Path.of("target/no-such-cluster.yml");

        DescriptorException e = catchThrowableOfType(DescriptorException.class, () -> DescriptorLoader.load(missing));

        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.line()).isZero();
            assertThat(err.format()).isEqualTo("target/no-such-cluster.yml: cannot read the descriptor: no such file");
        });
    }

    @Test
    void a_directory_is_reported_as_unreadable() throws Exception {
        DescriptorException e = catchThrowableOfType(DescriptorException.class, () -> DescriptorLoader.load(dir()));
        assertThat(e.errors()).singleElement().extracting(DescriptorError::message)
                .isEqualTo("cannot read the descriptor: it is a directory");
    }

    @Test
    void a_file_that_is_not_utf8_is_reported_as_such(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("latin1.yml");
        Files.write(f, new byte[] {'c', 'l', 'u', 's', 't', 'e', 'r', ':', ' ', (byte) 0xE9, '\n'});
        DescriptorException e = catchThrowableOfType(DescriptorException.class, () -> DescriptorLoader.load(f));
        assertThat(e.errors()).singleElement().extracting(DescriptorError::message)
                .isEqualTo("cannot read the descriptor: it is not UTF-8 text");
    }

    @Test
    void an_empty_file_points_at_yoo_init() {
        assertThatThrownBy(() -> DescriptorLoader.parse("# nothing here\n", Path.of("empty.yml"), Path.of("/tmp")))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("empty.yml:1:1: the descriptor is empty: start from `yoo init --architecture small`");
    }

    @Test
    void the_exception_message_lists_every_error_one_per_line() throws Exception {
        Path f = dir().resolve("many-at-once.yml");
        DescriptorException e = catchThrowableOfType(DescriptorException.class, () -> DescriptorLoader.load(f));
        assertThat(e.getMessage()).startsWith(e.errors().size() + " errors in cluster descriptor:\n");
        assertThat(e.getMessage().lines().count()).isEqualTo(e.errors().size() + 1L);
    }

    @Test
    void aliases_cannot_blow_up_into_billions_of_nodes() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 60; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        assertThatThrownBy(() -> DescriptorLoader.parse(y.toString(), Path.of("bomb.yml"), Path.of("/tmp")))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("Number of aliases");
    }
}
