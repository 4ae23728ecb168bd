package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.InstallPhases;
import io.yoo.installer.core.state.MachineRecord;
import io.yoo.installer.core.state.ProgressEvent;
import io.yoo.installer.core.state.StateMachine;
import io.yoo.installer.core.state.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link MachineEventLog}: one INFO line per state change (and per failure), the progress events
 * in between at DEBUG; a whole install is 2 INFO lines here instead of 12.
 */
class MachineEventLogTest {
    private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("yoo.machine");
    private Level before;

    @BeforeEach
    void captureLog() {
        before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
        logger.setLevel(before);
    }

    /** The install's callbacks, in order, fed through the state machine as the store does. */
    private static List<Transition> install(String... failedPhase) {
        List<Transition> out = new ArrayList<>();
        MachineRecord r = MachineRecord.unknown("node-7", T0);
        int s = 0;
        for (String phase : new String[] {"time-sync", "fetch-config", "install-os", "kubernetes-bundle", "finalize"}) {
            for (EventStatus st : new EventStatus[] {EventStatus.STARTED, EventStatus.SUCCEEDED}) {
                EventStatus status = failedPhase.length > 0 && failedPhase[0].equals(phase) && st == EventStatus.SUCCEEDED ? EventStatus.FAILED : st;
                Transition t = StateMachine.apply(r, ProgressEvent.callback("node-7", phase, status, "m" + s, T0.plusSeconds(++s)));
                out.add(t);
                r = t.after();
                if (status == EventStatus.FAILED) {
                    return out;
                }
            }
        }
        out.add(StateMachine.apply(r, ProgressEvent.callback("node-7", InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null,
                T0.plusSeconds(++s))));
        return out;
    }

    @Test
    void stateChangesAreInfoAndTheStepsInBetweenDebug() {
        MachineEventLog events = new MachineEventLog(false);
        install().forEach(events::changed);
        assertThat(log.list).hasSize(11);
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("node-7 unknown -> installing [callback time-sync started] m0",
                        "node-7 installing -> installed [callback installed succeeded]");
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.DEBUG).hasSize(9)
                .extracting(ILoggingEvent::getFormattedMessage).contains("node-7 installing -> installing [callback install-os started] m4");
    }

    @Test
    void aFailedStepIsInfoInJsonToo() {
        MachineEventLog events = new MachineEventLog(true);
        install("install-os").forEach(events::changed);
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.INFO).extracting(ILoggingEvent::getFormattedMessage)
                .hasSize(2).last().asString().startsWith("{\"machine\":\"node-7\",\"state\":\"failed\",\"from\":\"installing\"")
                .contains("\"phase\":\"install-os\",\"status\":\"failed\"");
    }

    @Test
    void atInfoTheStepsInBetweenAreNotEvenFormatted() {
        logger.setLevel(Level.INFO);
        MachineEventLog events = new MachineEventLog(false);
        install().forEach(events::changed);
        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO).hasSize(2);
    }
}
