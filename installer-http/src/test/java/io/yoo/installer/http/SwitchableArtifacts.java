package io.yoo.installer.http;

import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import java.util.Objects;
import java.util.Optional;

/** Test wiring: {@link MachineArtifacts} set after the server has started (their URLs need its port). */
final class SwitchableArtifacts implements MachineArtifacts {
    private volatile MachineArtifacts current;

    SwitchableArtifacts(MachineArtifacts initial) {
        this.current = Objects.requireNonNull(initial);
    }

    void switchTo(MachineArtifacts next) {
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
