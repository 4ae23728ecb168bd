package io.yoo.installer.core.cluster;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.ClusterConfigArtifacts;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.CompositeArtifacts;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.template.Templates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the renderers for a descriptor: the one place that composes them (add a renderer here
 * and {@code yoo render}, {@code yoo validate} and {@code yoo serve}'s {@link ClusterSnapshot} all
 * get it).
 *
 * @param bootMenus iPXE, PXELINUX and GRUB menus (the TFTP virtual files are built on it)
 * @param all       every artifact a machine receives, boot menus first
 */
public record Renderers(BootMenuRenderer bootMenus, MachineArtifacts all) {

    public static Renderers of(ClusterDescriptor d, MachineTokens tokens, ClusterSecrets secrets, Optional<Path> templateDir) {
        return of(d, tokens, () -> secrets, templateDir);
    }

    public static Renderers of(ClusterDescriptor d, MachineTokens tokens, Supplier<ClusterSecrets> secrets, Optional<Path> templateDir) {
        Templates templates = new Templates(templateDir.or(() -> d.server().templateDir()));
        BootUrls urls = BootUrls.of(d.network().bootServer(), d.server().httpPort());
        BootMenuRenderer boot = new BootMenuRenderer(d, urls, tokens, templates);
        ClusterConfigArtifacts configs = new ClusterConfigArtifacts(d, urls, tokens, secrets, templates, StepLimits.DEFAULT);
        return new Renderers(boot, CompositeArtifacts.of(boot, configs));
    }

    /**
     * The cluster secrets `yoo serve` keeps in the state directory; without them yet, throw-away
     * secrets generated in memory (said so on {@code err}): render and validate create no state.
     */
    public static ClusterSecrets secrets(ClusterDescriptor d, PrintWriter err) throws IOException {
        SecretsStore store = new SecretsStore(d.server().stateDir());
        if (Files.isDirectory(store.directory())) {
            return store.load();
        }
        err.println("note: no cluster secrets in " + store.directory()
                + " yet (yoo serve creates them); configs carry throw-away example certificates");
        return new SecretsGenerator().generate();
    }

    /**
     * The tokens `yoo serve` uses for this descriptor (its state directory's secret). Without
     * one yet, throw-away tokens, said so on {@code err}: render must not create state.
     */
    public static MachineTokens tokens(ClusterDescriptor d, PrintWriter err) throws IOException {
        Optional<MachineTokens> t = TokenSecretFile.read(d.server().stateDir());
        if (t.isPresent()) {
            return t.get();
        }
        err.println("note: no " + TokenSecretFile.NAME + " in " + d.server().stateDir()
                + " yet (yoo serve creates it); the tokens in these URLs are throw-away examples");
        return new MachineTokens(MachineTokens.newSecret());
    }
}
