package io.yoo.installer.core.config.script;

/**
 * Seconds each install step may take before the script kills it and reports it failed. The
 * defaults suit a Flatcar image (~500 MB) and a Kubernetes bundle over a LAN with headroom.
 */
public record StepLimits(int timeSync, int fetchConfig, int installOs, int bundle, int finalizeInstall) {
    public static final StepLimits DEFAULT = new StepLimits(180, 120, 1800, 1800, 120);

    public StepLimits {
        for (int s : new int[] {timeSync, fetchConfig, installOs, bundle, finalizeInstall}) {
            if (s < 1) {
                throw new IllegalArgumentException("step limits must be positive seconds");
            }
        }
    }
}
