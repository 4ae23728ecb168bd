package io.yoo.installer.cli;

import io.yoo.installer.core.cluster.Renderers;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.render.TftpBootFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code yoo render}: what machines will be served, to stdout or as a directory tree. */
@Command(name = "render", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Render what machines receive: iPXE script, PXELINUX and GRUB configs, ...",
            "  --machine NAME --kind KIND   one artifact to stdout",
            "  --out DIR                    every machine and kind (narrow with --machine, --kind), plus the"
                    + " shared boot.ipxe, pxelinux.cfg/default and grub/grub.cfg",
            "  --path PATH                  what a TFTP client asking for PATH gets (pxelinux.cfg/01-52-54-...)",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:rendered", "1:invalid descriptor, unknown machine or nothing to render",
            "2:usage error", "3:cannot write the output directory"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DescriptorSource source;

    @Option(names = "--machine", paramLabel = "NAME", description = "one machine (default with --out: all)")
    String machine;

    @Option(names = "--kind", paramLabel = "KIND", completionCandidates = KindNames.class,
            description = "what to render: ${COMPLETION-CANDIDATES} (default with --out: all)")
    String kind;

    @Option(names = "--out", paramLabel = "DIR", description = "write files under DIR instead of printing one")
    Path out;

    @Option(names = "--path", paramLabel = "PATH", description = "render the TFTP virtual file at PATH")
    String path;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "directory of template overrides (default: server.templates of the descriptor)")
    Path templates;

    static final class KindNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ArtifactKind.values()).map(ArtifactKind::key).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Optional<ArtifactKind> k = parseKind();
        if (out == null && path == null && (machine == null || kind == null)) {
            throw new ParameterException(spec.commandLine(),
                    "give --machine NAME and --kind KIND to print one artifact, --out DIR to write all, or --path PATH");
        }
        Optional<ClusterDescriptor> loaded = source.load(err);
        if (loaded.isEmpty()) {
            return Yoo.EXIT_INVALID;
        }
        ClusterDescriptor d = loaded.get();
        if (machine != null && d.machine(machine).isEmpty()) {
            err.println("yoo: no machine '" + machine + "' in " + source.name() + "; machines: "
                    + String.join(", ", d.machines().stream().map(Machine::name).toList()));
            return Yoo.EXIT_INVALID;
        }
        Renderers r = Renderers.of(d, Renderers.tokens(d, err), Renderers.secrets(d, err), Optional.ofNullable(templates));

        if (path != null) {
            Optional<Rendered> file = new TftpBootFiles(r.bootMenus()).file(path);
            if (file.isEmpty()) {
                err.println("yoo: no virtual file '" + path + "' (try pxelinux.cfg/default, grub/grub.cfg,"
                        + " pxelinux.cfg/01-<mac with dashes>)");
                return Yoo.EXIT_INVALID;
            }
            stdout.print(file.get().text());
            stdout.flush();
            return Yoo.EXIT_OK;
        }
        if (out == null) {
            Optional<Rendered> one = r.all().render(machine, k.orElseThrow());
            if (one.isEmpty()) {
                err.println("yoo: kind '" + kind + "' is not rendered for " + machine + " by this build");
                return Yoo.EXIT_INVALID;
            }
            stdout.print(one.get().text());
            stdout.flush();
            return Yoo.EXIT_OK;
        }

        List<Rendered> files = new ArrayList<>();
        if (machine == null && kind == null) {
            files.addAll(r.bootMenus().sharedFiles());
        }
        for (Machine m : d.machines()) {
            if (machine != null && !machine.equals(m.name())) {
                continue;
            }
            for (ArtifactKind each : k.map(List::of).orElse(ArtifactKind.FILES)) {
                // boot menus name their own place (ipxe/, grub/, pxelinux.cfg/); a machine's configs go to configs/NAME/
                r.all().render(m.name(), each).map(f -> f.fileName().contains("/") ? f
                        : new Rendered("configs/" + m.name() + "/" + f.fileName(), f.contentType(), f.text())).ifPresent(files::add);
            }
        }
        if (files.isEmpty()) {
            err.println("yoo: nothing to render for that --machine/--kind in this build");
            return Yoo.EXIT_INVALID;
        }
        try {
            Path root = out.toAbsolutePath().normalize();
            for (Rendered f : files) {
                Path target = root.resolve(f.fileName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalStateException("renderer produced a file name outside the output: " + f.fileName());
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.text());
                stdout.println(out.resolve(f.fileName()));
            }
        } catch (IOException e) {
            err.println("yoo: cannot write to " + out + ": " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
        err.println("rendered " + files.size() + " files for cluster " + d.name() + " into " + out);
        return Yoo.EXIT_OK;
    }

    private Optional<ArtifactKind> parseKind() {
        if (kind == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ArtifactKind.fromKey(kind));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
