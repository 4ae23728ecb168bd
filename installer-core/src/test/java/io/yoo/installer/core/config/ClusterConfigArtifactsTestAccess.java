package io.yoo.installer.core.config;

import io.yoo.installer.core.descriptor.ConfigDialect;
import java.io.IOException;

/** The installed-config readers of {@link ClusterConfigArtifactsTest}, for tests in other packages. */
public final class ClusterConfigArtifactsTestAccess {
    private ClusterConfigArtifactsTestAccess() {}

    /** The install NIC's systemd-networkd unit in an Ignition config. */
    public static String networkUnit(String ignition) throws IOException {
        return ClusterConfigArtifactsTest.networkUnit(ignition, ConfigDialect.IGNITION);
    }
}
