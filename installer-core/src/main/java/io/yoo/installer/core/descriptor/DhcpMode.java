package io.yoo.installer.core.descriptor;

/** How Yoo answers DHCP on the install network. */
public enum DhcpMode {
    /** Yoo is the network's DHCP server: reservations plus an optional pool. */
    FULL("full"),
    /** Another server hands out addresses; Yoo answers PXE clients only (ports 67 and 4011). */
    PROXY("proxy"),
    /** No DHCP from Yoo at all (an external server points machines at Yoo's TFTP/HTTP). */
    OFF("off");

    private final String key;

    DhcpMode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static DhcpMode fromKey(String key) {
        for (DhcpMode m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown DHCP mode '" + key + "': expected full, proxy or off");
    }
}
