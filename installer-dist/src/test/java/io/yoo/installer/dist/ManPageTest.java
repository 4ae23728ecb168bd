package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.cli.Yoo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ManPageTest {

    @Test
    void listsEveryVisibleCommandAndOption() {
        CommandLine yoo = Yoo.commandLine();
        String page = ManPage.render(yoo, "1.2.3 (abc1234)");
        assertThat(page).startsWith(".TH YOO 1 \"\" \"yoo 1.2.3 (abc1234)\"");
        yoo.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                assertThat(page).as(name).contains(".SS \"yoo " + name + "\"");
            }
        });
        assertThat(page).contains("\\fB\\-\\-unprivileged\\fR").contains(".SH EXIT STATUS").contains("/etc/yoo/cluster.yml");
    }

    @Test
    void escapesWhatTroffWouldInterpret() {
        assertThat(ManPage.text(".starts with a dot")).isEqualTo("\\&.starts with a dot");
        assertThat(ManPage.text("'quote")).isEqualTo("\\&'quote");
        assertThat(ManPage.text("a\\b --x")).isEqualTo("a\\eb \\-\\-x");
        assertThat(ManPage.text("two\n  lines")).isEqualTo("two lines");
    }
}
