package io.yoo.installer.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.Outcome;
import io.yoo.installer.core.state.Transition;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One log line per machine event that changed something (JSON with {@code --log-format json}),
 * so `journalctl -u yoo | grep node-7` tells a machine's story: at INFO when the machine's state
 * changed (dhcp → booting → installing → installed, a reset) or a step failed, at DEBUG for the
 * progress events in between (a step started or succeeded while installing). Those stay in the
 * store, the API and the UI; at INFO they were 13 lines per install, 130,000 per 10,000-machine
 * storm, a measurable part of the server's CPU.
 */
final class MachineEventLog {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.machine");
    private final boolean json;

    MachineEventLog(boolean json) {
        this.json = json;
    }

    /** INFO for a state change or a failure, DEBUG for the rest. */
    static Level levelOf(Transition t) {
        return t.stateChanged() || t.event().status() == EventStatus.FAILED ? Level.INFO : Level.DEBUG;
    }

    void changed(Transition t) {
        if (t.outcome() == Outcome.IGNORED) {
            return;
        }
        Level level = levelOf(t);
        if (!LOG.isEnabledForLevel(level)) {
            return; // nothing formatted for a line nobody reads
        }
        var e = t.event();
        if (json) {
            LOG.atLevel(level).log("{\"machine\":{},\"state\":{},\"from\":{},\"source\":{},\"phase\":{},\"status\":{},\"message\":{},"
                    + "\"ip\":{},\"at\":{}}",
                    q(e.machine()), q(t.after().state().key()), q(t.before().state().key()), q(e.source().name().toLowerCase(Locale.ROOT)),
                    q(e.phase()), q(e.status().name().toLowerCase(Locale.ROOT)), q(e.message().orElse("")), q(e.ip().orElse("")),
                    q(e.at().toString()));
        } else {
            LOG.atLevel(level).log("{} {} -> {} [{} {} {}]{}", e.machine(), t.before().state().key(), t.after().state().key(),
                    e.source().name().toLowerCase(Locale.ROOT), e.phase(), e.status().name().toLowerCase(Locale.ROOT),
                    e.message().map(m -> " " + firstLine(m)).orElse(""));
        }
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + " ...";
    }

    /** A JSON string literal (Jackson's encoder: the escaping rules are the library's job). */
    static String q(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
