package io.yoo.installer.core.render;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.net.MacAddress;
import io.yoo.installer.core.net.SmbiosUuid;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The virtual files a TFTP server serves from the descriptor rather than from disk: PXELINUX
 * configs ({@code pxelinux.cfg/01-<mac>}, {@code pxelinux.cfg/<uuid>},
 * {@code pxelinux.cfg/<IP in hex>}, {@code pxelinux.cfg/default}) and GRUB configs
 * ({@code grub/grub.cfg-01-<mac>}, {@code grub/grub.cfg-<IP in hex>}, {@code grub/grub.cfg}).
 * A boot policy calls {@link #file} from {@code BootPolicy.virtualFile}. Paths are matched
 * exactly against names built from the descriptor, so a client's path never reaches the file
 * system or a template.
 */
public final class TftpBootFiles {
    private final BootMenuRenderer renderer;
    private final Map<String, Machine> pxelinux = new HashMap<>();
    private final Map<String, Machine> grub = new HashMap<>();

    public TftpBootFiles(BootMenuRenderer renderer) {
        this.renderer = renderer;
        ClusterDescriptor d = renderer.descriptor();
        for (Machine m : d.machines()) {
            for (MacAddress mac : m.macs()) {
                pxelinux.putIfAbsent("pxelinux.cfg/01-" + mac.toDashed(), m);
                grub.putIfAbsent("grub/grub.cfg-01-" + mac.toDashed(), m);
            }
            m.uuid().ifPresent(u -> {
                pxelinux.putIfAbsent("pxelinux.cfg/" + u, m);
                // PXELINUX prints the UUID as the firmware sent it: accept the swapped reading too
                SmbiosUuid swapped = u.swapped();
                pxelinux.putIfAbsent("pxelinux.cfg/" + swapped, m);
            });
            String hex = BootModel.ipHex(m.ip()).toLowerCase(Locale.ROOT);
            pxelinux.putIfAbsent("pxelinux.cfg/" + hex, m);
            grub.putIfAbsent("grub/grub.cfg-" + hex, m);
        }
    }

    /** The file at {@code path} (leading '/' ignored, case-insensitive hex), or empty. */
    public Optional<Rendered> file(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.length() > 80) {
            return Optional.empty();
        }
        String key = p.toLowerCase(Locale.ROOT);
        if (key.equals("pxelinux.cfg/default")) {
            return Optional.of(renderer.pxelinuxMenu());
        }
        if (key.equals("grub/grub.cfg")) {
            return Optional.of(renderer.grubMain());
        }
        Machine m = pxelinux.get(key);
        if (m != null) {
            return Optional.of(renderer.pxelinux(m));
        }
        m = grub.get(key);
        if (m != null) {
            return Optional.of(renderer.grub(m));
        }
        return Optional.empty();
    }
}
