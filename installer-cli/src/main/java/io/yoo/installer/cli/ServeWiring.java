package io.yoo.installer.cli;

import io.yoo.installer.core.boot.BootFiles;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.DescriptorBootPolicy;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.SecureBootChain;
import io.yoo.installer.core.boot.SecureBootFiles;
import io.yoo.installer.core.boot.Sighting;
import io.yoo.installer.core.boot.SightingResolver;
import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineMatcher;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.render.TftpBootFiles;
import io.yoo.installer.core.state.StateStore;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything `yoo serve` derives from one descriptor: the boot policy, the renderers, the
 * sighting resolver. A reload builds a new one and swaps it in; the servers stay up.
 */
record ServeWiring(ClusterDescriptor descriptor, DescriptorBootPolicy policy, Renderers renderers) {

    static ServeWiring of(ClusterDescriptor d, MachineTokens tokens, Supplier<ClusterSecrets> secrets, StateStore store, LearnedMacs learned) {
        Renderers renderers = Renderers.of(d, tokens, secrets, Optional.empty());
        TftpBootFiles tftpFiles = new TftpBootFiles(renderers.bootMenus());
        SecureBootFiles signedChain = new SecureBootFiles(AssetCatalog.open(d.server().assetDir())::servableFile, SecureBootChain.SYSTEM_FILES);
        SightingResolver names = new SightingResolver(d);
        Consumer<Sighting> sightings = s -> store.observeLater(names.resolve(s), Instant.now());
        BootUrls urls = BootUrls.of(d.network().serverAddress(), d.server().httpPort());
        DescriptorBootPolicy policy = new DescriptorBootPolicy(d, new MachineMatcher(d.machines()), urls, tokens, store,
                BootFiles.DEFAULT.withAllowUnknown(d.server().allowUnknown()), sightings,
                (path, client) -> tftpFiles.file(path, client).map(Rendered::bytes).or(() -> signedChain.find(path))).withLearnedMacs(learned);
        return new ServeWiring(d, policy, renderers);
    }

    /**
     * Seeds the MACs learned in earlier runs for machines the descriptor knows only by UUID: the
     * store remembers the last MAC each machine was seen with.
     */
    static void seed(LearnedMacs learned, ClusterDescriptor d, StateStore store) {
        for (var m : d.machines()) {
            if (m.macs().isEmpty() && m.uuid().isPresent()) {
                store.machine(m.name()).flatMap(r -> r.lastMac()).ifPresent(mac -> {
                    try {
                        learned.learn(io.yoo.installer.core.net.MacAddress.parse(mac), m.name());
                    } catch (IllegalArgumentException e) {
                        // a stored value that is no MAC: nothing to learn
                    }
                });
            }
        }
    }
}
