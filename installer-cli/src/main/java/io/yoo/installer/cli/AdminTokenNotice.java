package io.yoo.installer.cli;

import io.yoo.installer.http.api.AdminToken;
import java.io.Console;
import java.nio.file.Path;

/**
 * What a server prints about its admin token at every start: where it is kept, always; the token
 * itself (with a UI link that carries it) only when it was just created and stdout is a terminal.
 * Printed into a pipe it would land in the journal or a log file, readable by whoever reads logs.
 */
final class AdminTokenNotice {
    private AdminTokenNotice() {}

    /** Lines to print, each ending in a newline. {@code ui} is the web UI's URL ending in '/'. */
    static String text(AdminToken token, Path file, String ui, boolean terminal) {
        if (token.created() && terminal) {
            return "  admin token (printed once; kept in " + file + "): " + token.value() + "\n"
                    + "  open " + ui + "#token=" + token.value() + "\n";
        }
        return "  admin token " + (token.created() ? "created, " : "") + "kept in " + file
                + (token.created() ? " (not printed: stdout is not a terminal)" : "")
                + "; UI: " + ui + "#token=<the token>\n";
    }

    /** True when stdout (and stdin) are a terminal: a person reads this, not a log. */
    static boolean onTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }
}
