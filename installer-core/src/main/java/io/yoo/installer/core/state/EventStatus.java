package io.yoo.installer.core.state;

import java.util.Locale;

/** Status of one progress report: a step started, succeeded or failed. */
public enum EventStatus {
    STARTED, SUCCEEDED, FAILED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code started|succeeded|failed}; throws with a message naming the field. */
    public static EventStatus fromKey(String key) {
        if (key != null) {
            for (EventStatus s : values()) {
                if (s.key().equals(key.toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("bad status '" + key + "': expected started, succeeded or failed");
    }
}
