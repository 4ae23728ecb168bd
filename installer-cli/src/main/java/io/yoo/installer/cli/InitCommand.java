package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code yoo init}: a commented, valid descriptor to start from. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Write a commented example cluster descriptor for an architecture (to stdout, or --out FILE).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:FILE exists (use --force)", "2:usage error", "3:cannot write FILE"})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-a", "--architecture"}, required = true, paramLabel = "ARCH",
            completionCandidates = DescriptorSource.ExampleNames.class,
            description = "dev (1 machine), small (3-9 control-plane), devtest (1 control-plane + workers),"
                    + " production (3 or 5 central + workers): ${COMPLETION-CANDIDATES}")
    String architecture;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write here instead of stdout")
    Path out;

    @Option(names = "--force", description = "overwrite FILE if it exists")
    boolean force;

    @Override
    public Integer call() {
        if (!DescriptorLoader.EXAMPLES.contains(architecture)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown architecture '" + architecture
                    + "': expected one of " + String.join(", ", DescriptorLoader.EXAMPLES));
        }
        String text = DescriptorLoader.exampleText(architecture);
        if (out == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return Yoo.EXIT_OK;
        }
        if (Files.exists(out) && !force) {
            spec.commandLine().getErr().println("yoo: " + out + " exists; use --force to overwrite it");
            return Yoo.EXIT_INVALID;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, text);
        } catch (IOException e) {
            spec.commandLine().getErr().println("yoo: cannot write " + out + ": " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
        spec.commandLine().getErr().println("wrote " + out + " (" + architecture + "); edit the MACs and addresses, then: yoo validate " + out);
        return Yoo.EXIT_OK;
    }
}
