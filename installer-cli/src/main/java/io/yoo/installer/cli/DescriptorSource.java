package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorError;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * "Which descriptor?" for every command that reads one: a file, or an embedded example
 * ({@code --example small}) so yoo runs on a fresh machine with nothing written yet.
 */
final class DescriptorSource {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Parameters(index = "0", paramLabel = "FILE", description = "the cluster descriptor (cluster.yml)")
        Path file;

        @Option(names = "--example", paramLabel = "NAME",
                description = "use an embedded example instead of a file: ${COMPLETION-CANDIDATES}",
                completionCandidates = ExampleNames.class)
        String example;
    }

    static final class ExampleNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DescriptorLoader.EXAMPLES.iterator();
        }
    }

    /** Loads it, or prints every error to {@code err} and returns empty. */
    Optional<ClusterDescriptor> load(PrintWriter err) {
        try {
            if (choice.example != null) {
                return Optional.of(DescriptorLoader.loadExample(choice.example));
            }
            return Optional.of(DescriptorLoader.load(choice.file));
        } catch (DescriptorException e) {
            for (DescriptorError error : e.errors()) {
                err.println(error.format());
            }
            err.println(e.errors().size() + (e.errors().size() == 1 ? " error" : " errors") + " in " + name());
            return Optional.empty();
        } catch (IllegalArgumentException e) { // unknown example name
            err.println("yoo: " + e.getMessage());
            return Optional.empty();
        }
    }

    String name() {
        return choice.example != null ? "<embedded>/" + choice.example + ".yml" : choice.file.toString();
    }
}
