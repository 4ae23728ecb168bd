package io.yoo.installer.ipmi.control;

import java.util.Locale;

/** What {@code yoo power} can ask of a BMC. */
public enum PowerAction {
    ON, OFF, CYCLE, RESET;

    public static PowerAction parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown power action '" + s + "': use on, off, cycle or reset");
        }
    }
}
