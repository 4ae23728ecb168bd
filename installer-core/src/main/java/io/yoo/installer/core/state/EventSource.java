package io.yoo.installer.core.state;

import java.util.Locale;

/** Who reported an event: the machine itself (callback), a protocol server that saw it, or an operator. */
public enum EventSource {
    CALLBACK, DHCP, TFTP, HTTP, ADMIN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventSource fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
