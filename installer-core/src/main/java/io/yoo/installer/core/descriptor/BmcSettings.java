package io.yoo.installer.core.descriptor;

import java.util.Optional;

/**
 * How to reach a machine's BMC for power control and reprovisioning.
 *
 * @param protocol     {@code ipmi} or {@code redfish}
 * @param passwordEnv  name of an environment variable holding the password (preferred over a
 *                     literal password in the file)
 */
public record BmcSettings(
        String address,
        String protocol,
        String username,
        Optional<String> password,
        Optional<String> passwordEnv) {}
