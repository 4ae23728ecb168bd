package io.yoo.installer.core.render;

import java.util.List;
import java.util.Optional;

/**
 * The six entries of the original tool's PXELINUX menu ({@code pxelinux.cfg/default}), kept
 * for machines that are not in the descriptor: an operator at the console picks what the
 * machine becomes. The production entries carry the debug autologin, as in the original.
 *
 * @param profile the original tool's config "type", also the {@code yoo.profile=} kernel argument
 */
public record MenuProfile(String profile, String title, List<String> extraArgs, boolean isDefault) {

    public static final List<MenuProfile> ORIGINAL_SIX = List.of(
            new MenuProfile("simple", "Single Machine", List.of(), false),
            new MenuProfile("small-cluster", "Small Cluster", List.of(), false),
            new MenuProfile("develop-etcd", "Development Cluster - Etcd Machine", List.of(), false),
            new MenuProfile("develop-worker", "Development Cluster - Worker", List.of(), false),
            new MenuProfile("production-central", "Production Cluster - Central Service",
                    List.of("flatcar.autologin=tty1"), false),
            new MenuProfile("production-worker", "Production Cluster - Worker",
                    List.of("flatcar.autologin=tty1"), true));

    /** The entry a menu boots when nobody picks one (production worker, as in the original). */
    public static MenuProfile defaultProfile() {
        return ORIGINAL_SIX.stream().filter(MenuProfile::isDefault).findFirst().orElseThrow();
    }

    /** The profile named {@code name}; a name from a URL is only ever compared, never used. */
    public static Optional<MenuProfile> named(String name) {
        return ORIGINAL_SIX.stream().filter(p -> p.profile.equals(name)).findFirst();
    }

    /** True when this entry gives the console a password-less login (the production entries). */
    public boolean autologin() {
        return extraArgs.stream().anyMatch(a -> a.startsWith("flatcar.autologin"));
    }

    /** Where the live config of a menu profile is served (relative to the HTTP base). */
    public String liveConfigPath() {
        return "/profiles/" + profile + "/live-config";
    }
}
