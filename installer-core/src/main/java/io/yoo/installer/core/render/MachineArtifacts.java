package io.yoo.installer.core.render;

import java.util.Optional;

/**
 * Renders what one machine receives. The HTTP and TFTP servers serve these; the CLI's
 * {@code yoo render} prints them. Empty when the kind does not apply (e.g. kubeadm for a machine
 * whose architecture needs none) or the machine is unknown.
 */
public interface MachineArtifacts {
    Optional<Rendered> render(String machine, ArtifactKind kind);
}
