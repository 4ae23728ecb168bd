package io.yoo.installer.core.descriptor;

import java.util.Map;

/**
 * The longest value each descriptor field may hold, checked before any rule looks at the value:
 * a megabyte-long string must be one short error, not seconds of regex and rendering work (or a
 * megabyte echoed back in the message). The bounds are far above any real value.
 */
final class FieldLimits {
    /** Names, addresses, versions, credentials: anything not listed below. */
    static final int DEFAULT = 1024;
    /** A YAML key (known keys are short; label keys are at most 253 + 1 + 63). */
    static final int KEY = 512;

    private static final int PATH = 4096; // PATH_MAX
    private static final int URL = 2048;
    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("sshKeys", 16 * 1024), // an RSA-16384 key is ~2.8 KB; certificates are longer
            Map.entry("stateDir", PATH), Map.entry("assetDir", PATH), Map.entry("templates", PATH),
            Map.entry("secretKeyFile", PATH),
            Map.entry("kernel", PATH), Map.entry("initrd", PATH), Map.entry("preloadImages", PATH),
            Map.entry("installDisk", PATH),
            Map.entry("proxy", URL), Map.entry("registryMirror", URL), Map.entry("database", URL),
            Map.entry("kernelArgs", 2048)); // the x86 kernel's COMMAND_LINE_SIZE

    private FieldLimits() {}

    /** The limit for a field path such as {@code machines[3].installDisk} or {@code sshKeys[0]}. */
    static int of(String field) {
        String last = field.substring(field.lastIndexOf('.') + 1);
        int bracket = last.indexOf('[');
        String name = bracket < 0 ? last : last.substring(0, bracket);
        return BY_NAME.getOrDefault(name, DEFAULT);
    }

    /** The error for a value over {@code limit}, or null. */
    static String check(String value, int limit) {
        return value.length() <= limit ? null
                : "the value is " + value.length() + " characters long; this field holds at most " + limit;
    }
}
