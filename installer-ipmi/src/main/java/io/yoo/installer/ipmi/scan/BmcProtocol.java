package io.yoo.installer.ipmi.scan;

import java.util.Locale;

/** How to talk to a BMC. */
public enum BmcProtocol {
    IPMI, REDFISH;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BmcProtocol parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "ipmi" -> IPMI;
            case "redfish" -> REDFISH;
            default -> throw new IllegalArgumentException("unknown BMC protocol '" + s + "': use ipmi or redfish");
        };
    }
}
