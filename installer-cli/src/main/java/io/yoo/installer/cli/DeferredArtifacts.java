package io.yoo.installer.cli;

import io.yoo.installer.core.boot.RequestFamily;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import java.util.Optional;

/**
 * Artifacts whose renderer is set after the HTTP server is bound: scripts carry the server's own
 * URL, which with {@code --http-port 0} is only known then. Renders nothing until {@link #use}.
 */
final class DeferredArtifacts implements MachineArtifacts {
    private volatile MachineArtifacts renderer = (machine, kind) -> Optional.empty();

    void use(MachineArtifacts artifacts) {
        renderer = artifacts;
    }

    /** The renderer set by {@link #use}, over {@code family} (asked on each call: it is set late). */
    @Override
    public MachineArtifacts over(RequestFamily family) {
        return renderer.over(family);
    }

    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        return renderer.render(machine, kind);
    }

    @Override
    public Optional<Rendered> unknownMenu() {
        return renderer.unknownMenu();
    }

    @Override
    public Optional<Rendered> profileLiveConfig(String profile) {
        return renderer.profileLiveConfig(profile);
    }
}
