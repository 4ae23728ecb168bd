package io.yoo.installer.core.state;

import java.util.List;

/**
 * Names of the steps the install script reports, in the order it runs them, plus the two
 * milestone phases ({@code installed}, {@code running}) and the pseudo-phases the store uses for
 * sightings and operator actions. The order lets the state machine recognise a late (out-of-order)
 * report instead of moving a machine backwards.
 */
public final class InstallPhases {
    public static final String TIME_SYNC = "time-sync";
    public static final String FETCH_CONFIG = "fetch-config";
    public static final String INSTALL_OS = "install-os";
    public static final String KUBERNETES_BUNDLE = "kubernetes-bundle";
    public static final String FINALIZE = "finalize";
    /** The install script reports this just before the reboot into the installed system. */
    public static final String INSTALLED = "installed";
    /** The installed system reports this once it booted from disk. */
    public static final String RUNNING = "running";

    /** Pseudo-phases of events the store synthesises (sightings, operator reset). */
    public static final String DHCP = "dhcp";
    public static final String BOOT_FETCH = "boot-fetch";
    public static final String REPROVISION = "reprovision";

    public static final List<String> ORDER = List.of(TIME_SYNC, FETCH_CONFIG, INSTALL_OS, KUBERNETES_BUNDLE, FINALIZE);

    private InstallPhases() {}

    /** Position in {@link #ORDER}, or -1 for a phase the script invented (accepted, but never "late"). */
    public static int indexOf(String phase) {
        return ORDER.indexOf(phase);
    }

    /**
     * What a phase name may look like, {@code [a-z0-9][a-z0-9._-]{0,63}}: it ends up in a database
     * column and in the web UI. Checked without a regex: it runs for every sighting and event.
     */
    public static boolean isValidName(String phase) {
        if (phase == null || phase.isEmpty() || phase.length() > 64) {
            return false;
        }
        for (int i = 0; i < phase.length(); i++) {
            char c = phase.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
