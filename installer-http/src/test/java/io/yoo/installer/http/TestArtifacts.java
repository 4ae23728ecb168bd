package io.yoo.installer.http;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import java.util.Optional;

/**
 * A small stand-in for installer-core's renderers (written by another module): enough text to
 * tell kinds and machines apart, with the per-machine URLs the real ones would contain.
 * kubeadm does not apply to workers here, to exercise "does not apply".
 */
final class TestArtifacts implements MachineArtifacts {
    private final MachineDirectory machines;
    private final MachineTokens tokens;
    private volatile BootUrls urls = new BootUrls("http://127.0.0.1");

    TestArtifacts(MachineDirectory machines, MachineTokens tokens) {
        this.machines = machines;
        this.tokens = tokens;
    }

    void baseUrl(String base) {
        urls = new BootUrls(base);
    }

    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        return machines.byName(machine).flatMap(m -> {
            String t = tokens.tokenFor(machine);
            return switch (kind) {
                case IPXE -> Optional.of(new Rendered("boot.ipxe", "text/plain", "#!ipxe\n# machine " + machine + "\nkernel "
                        + urls.asset("flatcar/vmlinuz") + " yoo.callback=" + urls.callback(machine, t) + "\nboot\n"));
                case KUBEADM -> m.role() == Role.WORKER ? Optional.empty()
                        : Optional.of(new Rendered("kubeadm.yaml", kind.contentType(), "kind: InitConfiguration # " + machine + "\n"));
                default -> Optional.of(new Rendered(kind.key(), kind.contentType(), kind.key() + " for " + machine + " secret=s3cr3t-" + machine + "\n"));
            };
        });
    }
}
