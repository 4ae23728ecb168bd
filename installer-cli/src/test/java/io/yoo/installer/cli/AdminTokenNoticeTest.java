package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.http.api.AdminToken;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every start says where the admin token is kept; the token itself only goes to a terminal, once. */
class AdminTokenNoticeTest {
    private static final Path FILE = Path.of("/var/lib/yoo/admin-token");
    private static final String UI = "http://10.0.0.2:8080/";
    private static final String VALUE = "s3cr3t-t0ken-value-0123456789";

    @Test
    void aNewTokenIsPrintedWithItsLinkOnATerminal() {
        String text = AdminTokenNotice.text(new AdminToken(VALUE, true), FILE, UI, true);
        assertThat(text).contains(FILE.toString(), VALUE, UI + "#token=" + VALUE);
    }

    @Test
    void aNewTokenIsNotPrintedIntoAPipeButWhereItIsKept() {
        String text = AdminTokenNotice.text(new AdminToken(VALUE, true), FILE, UI, false);
        assertThat(text).doesNotContain(VALUE).contains("kept in " + FILE, "not a terminal", UI);
    }

    @Test
    void laterStartsSayWhereItIsKeptAndNeverPrintIt() {
        for (boolean terminal : new boolean[] {true, false}) {
            String text = AdminTokenNotice.text(new AdminToken(VALUE, false), FILE, UI, terminal);
            assertThat(text).doesNotContain(VALUE).contains("kept in " + FILE);
        }
    }
}
