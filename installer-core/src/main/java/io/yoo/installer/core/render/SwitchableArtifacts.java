package io.yoo.installer.core.render;

import java.util.Objects;
import java.util.Optional;

/** {@link MachineArtifacts} that a reloaded descriptor replaces while the HTTP server runs. */
public final class SwitchableArtifacts implements MachineArtifacts {
    private volatile MachineArtifacts current;

    public SwitchableArtifacts(MachineArtifacts initial) {
        this.current = Objects.requireNonNull(initial);
    }

    public void switchTo(MachineArtifacts next) {
        this.current = Objects.requireNonNull(next);
    }

    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        return current.render(machine, kind);
    }

    @Override
    public Optional<Rendered> unknownMenu() {
        return current.unknownMenu();
    }

    @Override
    public Optional<Rendered> profileLiveConfig(String profile) {
        return current.profileLiveConfig(profile);
    }
}
