package io.yoo.installer.core.config.script;

/** POSIX shell quoting: one single-quoted word, safe for any text (a {@code '} becomes {@code '\''}). */
public final class ShellQuote {
    private ShellQuote() {}

    public static String quote(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL byte cannot be passed to the shell");
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
