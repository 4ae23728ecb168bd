package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Override
    public Integer call() {
        Optional<ClusterDescriptor> d = source.load(spec.commandLine().getErr());
        if (d.isEmpty()) {
            return Yoo.EXIT_INVALID;
        }
        ClusterDescriptor c = d.get();
        spec.commandLine().getOut().printf("%s: OK, cluster %s (%s): %d machines, %d control-plane, %d workers%n",
                source.name(), c.name(), c.architecture().key(), c.machines().size(), c.controlPlane().size(),
                c.workers().size());
        return Yoo.EXIT_OK;
    }
}
