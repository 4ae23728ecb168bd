package io.yoo.installer.cli;

import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.boot.SecureBootChainCheck;
import io.yoo.installer.core.cluster.Renderers;
import io.yoo.installer.core.config.RenderedConfigCheck;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yoo validate FILE}: all mistakes at once, as file:line:column: field: message. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check a cluster descriptor and list every mistake in it as file:line:column: field: message.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the descriptor is valid", "1:it has mistakes (all listed on stderr)", "2:usage error"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DescriptorSource source;

    @Option(names = "--deep", description = "Also render every artifact of every machine and check it: "
            + "cloud-config keys and types as coreos-cloudinit accepts them, Ignition structure, control-plane counts, "
            + "values unsafe for a config or a shell.")
    boolean deep;

    @Override
    public Integer call() {
        Optional<ClusterDescriptor> d = source.load(spec.commandLine().getErr());
        if (d.isEmpty()) {
            return Yoo.EXIT_INVALID;
        }
        ClusterDescriptor c = d.get();
        if (deep) {
            List<String> problems;
            try {
                PrintWriter quiet = new PrintWriter(Writer.nullWriter());
                problems = RenderedConfigCheck.problems(c, Renderers.of(c, Renderers.tokens(c, quiet),
                        Renderers.secrets(c, quiet), Optional.empty()).all());
            } catch (IOException e) {
                spec.commandLine().getErr().println("yoo: cannot read the state directory: " + e.getMessage());
                return Yoo.EXIT_ENVIRONMENT;
            }
            if (!problems.isEmpty()) {
                problems.forEach(p -> spec.commandLine().getErr().println(source.name() + ": " + p));
                spec.commandLine().getErr().printf("%d problem(s) in the rendered configs%n", problems.size());
                return Yoo.EXIT_INVALID;
            }
        }
        if (StartupChecks.isLocal(c.network().serverAddress())) {
            // run on the server itself: say which relayed segments it could not answer (yoo serve refuses to start)
            RelayRoutes.problems(c.network()).forEach(w -> spec.commandLine().getErr().println(source.name() + ": warning: " + w));
        }
        AssetCatalog mirror = AssetCatalog.open(c.server().assetDir());
        SecureBootChainCheck.warnings(c, mirror::servableFile, mirror::refusal)
                .forEach(w -> spec.commandLine().getErr().println(source.name() + ": warning: " + w));
        spec.commandLine().getOut().printf("%s: OK%s, cluster %s (%s): %d machines, %d control-plane, %d workers%n",
                source.name(), deep ? " (deep: every rendered config checked)" : "", c.name(), c.architecture().key(), c.machines().size(), c.controlPlane().size(),
                c.workers().size());
        return Yoo.EXIT_OK;
    }
}
