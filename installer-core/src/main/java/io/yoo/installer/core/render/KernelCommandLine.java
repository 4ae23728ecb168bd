package io.yoo.installer.core.render;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line of a machine's live (in-RAM) boot. Every value in it was validated by
 * the descriptor loader (names are DNS labels, extra arguments match a strict character set,
 * tokens are base64url), so it can go into iPXE, PXELINUX and GRUB files unquoted.
 */
public final class KernelCommandLine {
    private KernelCommandLine() {}

    public static List<String> forMachine(ClusterDescriptor d, Machine m, BootUrls urls, String token) {
        List<String> args = new ArrayList<>();
        args.add("console=ttyS0,115200n8");
        args.add("console=tty0");
        args.addAll(liveConfigArgs(d, m, urls, token));
        args.add("yoo.callback=" + urls.callback(m.name(), token));
        args.add("yoo.id=" + m.name());
        args.add("yoo.script=" + urls.installScript(m.name(), token));
        args.addAll(d.os().kernelArgs());
        args.addAll(m.overrides().kernelArgs());
        return List.copyOf(args);
    }

    /**
     * The arguments that make Flatcar's live system fetch the machine's live config: Ignition needs
     * {@code flatcar.first_boot=1} and {@code ignition.config.url}, coreos-cloudinit reads
     * {@code cloud-config-url}; with autologin also {@code flatcar.autologin}.
     */
    public static List<String> liveConfigArgs(ClusterDescriptor d, Machine m, BootUrls urls, String token) {
        List<String> args = new ArrayList<>(liveConfigArgs(dialect(d, m), urls.liveConfig(m.name(), token)));
        if (autologin(d, m)) {
            args.add("flatcar.autologin");
        }
        return List.copyOf(args);
    }

    /** The arguments that point Flatcar's live system at {@code liveUrl} in this dialect. */
    public static List<String> liveConfigArgs(ConfigDialect dialect, String liveUrl) {
        return dialect == ConfigDialect.IGNITION
                ? List.of("flatcar.first_boot=1", "ignition.config.url=" + liveUrl)
                : List.of("cloud-config-url=" + liveUrl);
    }

    public static ConfigDialect dialect(ClusterDescriptor d, Machine m) {
        return m.overrides().dialect().orElse(d.os().dialect());
    }

    public static boolean autologin(ClusterDescriptor d, Machine m) {
        return m.overrides().autologin().orElse(d.os().autologin());
    }
}
