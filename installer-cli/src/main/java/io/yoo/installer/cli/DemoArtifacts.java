package io.yoo.installer.cli;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.http.machines.MachineDirectory;
import java.util.Optional;

/**
 * Artifacts for {@code yoo http --demo-machines}: a realistic per-machine iPXE script (kernel,
 * initrd, command line with callback URL and token) so the script endpoint and the UI can be
 * exercised and benchmarked without a descriptor. Not for installs: {@code yoo serve} uses the
 * real renderers from installer-core. Other kinds are not rendered (404).
 */
final class DemoArtifacts implements MachineArtifacts {
    private final MachineDirectory machines;
    private final MachineTokens tokens;
    private final java.util.function.Supplier<BootUrls> urlsSource;

    /** @param urls the server's base URL, read per render (known only once the port is bound) */
    DemoArtifacts(MachineDirectory machines, MachineTokens tokens, java.util.function.Supplier<BootUrls> urls) {
        this.machines = machines;
        this.tokens = tokens;
        this.urlsSource = urls;
    }

    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        if (kind != ArtifactKind.IPXE) {
            return Optional.empty();
        }
        BootUrls urls = urlsSource.get();
        return machines.byName(machine).map(m -> {
            String t = tokens.tokenFor(machine);
            String base = "flatcar/stable/current/";
            String script = "#!ipxe\n"
                    + "# Yoo Installer demo script for " + machine + "\n"
                    + "kernel " + urls.asset(base + "flatcar_production_pxe.vmlinuz") + " initrd=flatcar_production_pxe_image.cpio.gz"
                    + " flatcar.first_boot=1 ignition.config.url=" + urls.liveConfig(machine, t)
                    + " yoo.callback=" + urls.callback(machine, t) + " yoo.id=" + machine + " console=tty0 console=ttyS0,115200n8\n"
                    + "initrd " + urls.asset(base + "flatcar_production_pxe_image.cpio.gz") + "\n"
                    + "boot\n";
            return new Rendered("boot.ipxe", "text/plain", script);
        });
    }
}
