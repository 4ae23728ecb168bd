package io.yoo.installer.core.descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code cluster.yml} into a validated {@link ClusterDescriptor}, or fails with every
 * mistake in the file at once ({@link DescriptorException}), each with file, line, column and
 * field path. The YAML is composed to nodes (not to Java objects) so every value keeps its
 * source position.
 *
 * <pre>{@code
 * ClusterDescriptor d = DescriptorLoader.load(Path.of("cluster.yml"));
 * ClusterDescriptor demo = DescriptorLoader.loadExample("small");
 * }</pre>
 */
public final class DescriptorLoader {
    /** Names of the embedded examples, one per architecture ({@link #loadExample}). */
    public static final List<String> EXAMPLES = List.of("dev", "small", "devtest", "production");
    private static final String EXAMPLE_ROOT = "io/yoo/installer/examples/";
    /**
     * The largest descriptor read: 2 MiB, room for some 16,000 machines at one line each (5,000
     * take 625 KB). Larger files are refused before parsing: SnakeYAML's time grows faster than
     * the length of a scalar (a 4 MiB one took 10 s, a 60 MB file did not finish), and 2 MiB
     * keeps the worst case to a few seconds.
     */
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    /** Deepest YAML nesting accepted; a descriptor needs five levels (machines, a machine, bmc or labels). */
    static final int MAX_NESTING = 16;

    private DescriptorLoader() {}

    /** Loads a descriptor file; relative paths in it are resolved against its directory. */
    public static ClusterDescriptor load(Path file) throws DescriptorException {
        Problems problems = new Problems(file);
        String text;
        try {
            byte[] bytes = readBounded(file);
            if (bytes == null) {
                problems.wholeFile(tooLarge());
                throw new DescriptorException(problems.sorted());
            }
            text = decode(bytes);
        } catch (NoSuchFileException e) {
            problems.wholeFile("cannot read the descriptor: no such file");
            throw new DescriptorException(problems.sorted());
        } catch (CharacterCodingException e) {
            problems.wholeFile("cannot read the descriptor: it is not UTF-8 text");
            throw new DescriptorException(problems.sorted());
        } catch (IOException e) {
            problems.wholeFile("cannot read the descriptor: " + describe(e));
            throw new DescriptorException(problems.sorted());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file, dir == null ? Path.of("").toAbsolutePath() : dir);
    }

    /**
     * Parses descriptor text.
     *
     * @param source  the name used in messages and kept as {@link ClusterDescriptor#source()}
     * @param baseDir directory that relative paths (stateDir, assetDir, templates) are resolved against
     */
    public static ClusterDescriptor parse(String yaml, Path source, Path baseDir) throws DescriptorException {
        Problems problems = new Problems(source);
        if (yaml.length() > MAX_BYTES) {
            problems.wholeFile(tooLarge());
            throw new DescriptorException(problems.sorted());
        }
        Optional<Node> root = compose(yaml, problems);
        if (root.isEmpty()) {
            throw new DescriptorException(problems.sorted());
        }
        Optional<ClusterDescriptor> d = new DescriptorParser(problems, source, baseDir).parse(root.get());
        if (!problems.isEmpty() || d.isEmpty()) {
            throw new DescriptorException(problems.sorted());
        }
        return d.get();
    }

    /**
     * One of the embedded examples ({@link #EXAMPLES}), so {@code yoo} can run with no file at
     * all. Its relative paths resolve against the working directory.
     */
    public static ClusterDescriptor loadExample(String name) throws DescriptorException {
        return parse(exampleText(name), Path.of("<embedded>", name + ".yml"), Path.of("").toAbsolutePath());
    }

    /** The commented YAML of an embedded example, as {@code yoo init} writes it. */
    public static String exampleText(String name) {
        if (!EXAMPLES.contains(name)) {
            throw new IllegalArgumentException("no example '" + name + "': expected one of " + String.join(", ", EXAMPLES));
        }
        try (InputStream in = DescriptorLoader.class.getClassLoader().getResourceAsStream(EXAMPLE_ROOT + name + ".yml")) {
            if (in == null) {
                throw new IllegalStateException("example " + name + " missing from the build (" + EXAMPLE_ROOT + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An included file ({@code machinesFrom}): bounded like the descriptor, its read and YAML
     * errors in {@code problems} (which names it); empty when it cannot be used.
     */
    static Optional<Node> composeIncluded(Path file, Problems problems) {
        try {
            byte[] bytes = readBounded(file);
            if (bytes == null) {
                problems.wholeFile(tooLarge());
                return Optional.empty();
            }
            return compose(decode(bytes), problems);
        } catch (CharacterCodingException e) {
            problems.wholeFile("cannot read it: it is not UTF-8 text");
        } catch (IOException e) {
            problems.wholeFile("cannot read it: " + describe(e));
        }
        return Optional.empty();
    }

    private static Optional<Node> compose(String yaml, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // YamlMap reports duplicates with both positions
        options.setMaxAliasesForCollections(50); // no billion-laughs expansion
        options.setCodePointLimit(MAX_BYTES);
        options.setNestingDepthLimit(MAX_NESTING);
        try {
            Node node = new Yaml(options).compose(new StringReader(yaml));
            if (node == null) {
                problems.add(null, "", "the descriptor is empty: start from `yoo init --architecture small`");
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (MarkedYAMLException e) {
            String what = e.getProblem() == null ? "" : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            problems.add(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "YAML syntax error: " + what + context);
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(null, "", "YAML error: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The file's bytes, or null when it holds more than {@link #MAX_BYTES} (checked before reading when it is a regular file). */
    private static byte[] readBounded(Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) { // a pipe or device has no size: read at most one byte more
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            return bytes.length > MAX_BYTES ? null : bytes;
        }
    }

    private static String tooLarge() {
        return "the descriptor is larger than " + MAX_BYTES / (1024 * 1024) + " MiB (" + MAX_BYTES
                + " bytes), the limit: is it the right file?";
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            return "it is a directory";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
