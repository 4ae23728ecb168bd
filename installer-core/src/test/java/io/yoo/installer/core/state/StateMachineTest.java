package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateMachineTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private int tick;

    private Instant next() {
        return T0.plusSeconds(++tick);
    }

    private ProgressEvent sighting(EventSource src) {
        String phase = src == EventSource.DHCP ? InstallPhases.DHCP : InstallPhases.BOOT_FETCH;
        return new ProgressEvent("node1", src, phase, EventStatus.SUCCEEDED, Optional.empty(), Optional.empty(), Optional.empty(), next());
    }

    private ProgressEvent report(String phase, EventStatus status, String msg) {
        return ProgressEvent.callback("node1", phase, status, msg, next());
    }

    private MachineRecord run(MachineRecord r, ProgressEvent... events) {
        for (ProgressEvent e : events) {
            r = StateMachine.apply(r, e).after();
        }
        return r;
    }

    @Test
    void fullProvisioningWalksEveryStateWithTimestamps() {
        MachineRecord r = MachineRecord.unknown("node1", T0);
        r = run(r, sighting(EventSource.DHCP));
        assertThat(r.state()).isEqualTo(MachineState.DHCP);
        Instant attempt = r.attemptStartedAt().orElseThrow();
        r = run(r, sighting(EventSource.HTTP));
        assertThat(r.state()).isEqualTo(MachineState.BOOTING);
        for (String p : InstallPhases.ORDER) {
            r = run(r, report(p, EventStatus.STARTED, null), report(p, EventStatus.SUCCEEDED, null));
            assertThat(r.state()).isEqualTo(MachineState.INSTALLING);
            assertThat(r.phase()).contains(p);
        }
        r = run(r, report(InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null));
        assertThat(r.state()).isEqualTo(MachineState.INSTALLED);
        assertThat(r.installDuration()).isPresent();
        assertThat(r.attemptStartedAt()).contains(attempt);
        r = run(r, sighting(EventSource.DHCP));
        assertThat(r.state()).isEqualTo(MachineState.REBOOTING);
        Instant rebootAt = r.stateSince();
        r = run(r, report(InstallPhases.RUNNING, EventStatus.SUCCEEDED, null));
        assertThat(r.state()).isEqualTo(MachineState.RUNNING);
        assertThat(r.stateSince()).isAfter(rebootAt);
    }

    @Test
    void exactRepeatIsIgnoredButAnsweredAsTransition() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), report("install-os", EventStatus.STARTED, "writing"));
        Transition t = StateMachine.apply(r, report("install-os", EventStatus.STARTED, "writing"));
        assertThat(t.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(t.after()).isSameAs(r);
    }

    @Test
    void earlierStepArrivingLateIsRecordedWithoutMovingBack() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), report("install-os", EventStatus.STARTED, null));
        Transition late = StateMachine.apply(r, report("time-sync", EventStatus.SUCCEEDED, null));
        assertThat(late.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(late.after().phase()).contains("install-os");
        r = run(r, report("install-os", EventStatus.SUCCEEDED, null));
        assertThat(StateMachine.apply(r, report("install-os", EventStatus.STARTED, null)).outcome()).isEqualTo(Outcome.RECORDED);
    }

    @Test
    void reportsAfterInstalledAreRecordedOnly() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), report(InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null));
        Transition t = StateMachine.apply(r, report("finalize", EventStatus.FAILED, "late"));
        assertThat(t.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(t.after().state()).isEqualTo(MachineState.INSTALLED);
    }

    @Test
    void failureKeepsFirstMessageAndStaysFailedUntilRetryOrReset() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), sighting(EventSource.DHCP),
                report("install-os", EventStatus.STARTED, null), report("install-os", EventStatus.FAILED, "dd: /dev/sda: No space"));
        assertThat(r.state()).isEqualTo(MachineState.FAILED);
        assertThat(r.message()).contains("dd: /dev/sda: No space");
        Transition second = StateMachine.apply(r, report("finalize", EventStatus.FAILED, "other"));
        assertThat(second.outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(StateMachine.apply(r, report("kubernetes-bundle", EventStatus.STARTED, null)).outcome()).isEqualTo(Outcome.RECORDED);
        assertThat(StateMachine.apply(r, sighting(EventSource.DHCP)).outcome()).isEqualTo(Outcome.IGNORED);
        MachineRecord retried = run(r, sighting(EventSource.TFTP));
        assertThat(retried.state()).isEqualTo(MachineState.BOOTING);
        MachineRecord startOver = run(r, report("time-sync", EventStatus.STARTED, null));
        assertThat(startOver.state()).isEqualTo(MachineState.INSTALLING);
    }

    @Test
    void missingBootProgramFailsTheMachineWithTheReasonRetriesAreNotStoredAndASuccessStartsOver() {
        ProgressEvent missing = tftpMissing("tftp undionly.kpxe: not found; apt install ipxe");
        MachineRecord r = run(MachineRecord.unknown("node1", T0), sighting(EventSource.DHCP), missing);
        assertThat(r.state()).isEqualTo(MachineState.FAILED);
        assertThat(r.phase()).contains(InstallPhases.BOOT_FETCH);
        assertThat(r.message()).contains("tftp undionly.kpxe: not found; apt install ipxe");
        // firmware asks again and again: not another event each time
        assertThat(StateMachine.apply(r, tftpMissing("tftp undionly.kpxe: not found; apt install ipxe")).outcome())
                .isEqualTo(Outcome.IGNORED);
        // a different missing file is news
        assertThat(StateMachine.apply(r, tftpMissing("tftp snponly.efi: not found")).outcome()).isEqualTo(Outcome.APPLIED);
        // ipxe installed, the next boot fetches it: a new attempt
        MachineRecord booted = run(r, sighting(EventSource.TFTP));
        assertThat(booted.state()).isEqualTo(MachineState.BOOTING);
        // installing (rebooted mid-install) also fails; installed machines boot from disk, so nothing changes
        MachineRecord installing = run(MachineRecord.unknown("node1", T0), report("install-os", EventStatus.STARTED, null));
        assertThat(run(installing, tftpMissing("x")).state()).isEqualTo(MachineState.FAILED);
        MachineRecord installed = run(installing, report(InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null));
        assertThat(StateMachine.apply(installed, tftpMissing("x")).outcome()).isEqualTo(Outcome.IGNORED);
    }

    private ProgressEvent tftpMissing(String what) {
        return new ProgressEvent("node1", EventSource.TFTP, InstallPhases.BOOT_FETCH, EventStatus.FAILED, Optional.of(what),
                Optional.empty(), Optional.of("10.0.0.11"), next());
    }

    @Test
    void sightingsNeverMoveBackwards() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), report("install-os", EventStatus.STARTED, null));
        assertThat(StateMachine.apply(r, sighting(EventSource.DHCP)).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(StateMachine.apply(r, sighting(EventSource.HTTP)).outcome()).isEqualTo(Outcome.IGNORED);
        MachineRecord running = run(r, report(InstallPhases.RUNNING, EventStatus.SUCCEEDED, null));
        assertThat(StateMachine.apply(running, sighting(EventSource.DHCP)).outcome()).isEqualTo(Outcome.IGNORED);
    }

    /**
     * The other server of a pair stores its sighting of the machine's DHCP exchange after the
     * answer, so it can commit after the machine reported installed (or failed) through the first
     * server: made before that state began, it must not start a reboot or a new attempt.
     */
    @Test
    void aSightingMadeBeforeTheMachineWasInstalledOrFailedChangesNothing() {
        ProgressEvent seenByTheOtherServer = sighting(EventSource.DHCP);
        ProgressEvent fetchSeenByTheOtherServer = sighting(EventSource.HTTP);
        MachineRecord installed = run(MachineRecord.unknown("node1", T0), report("finalize", EventStatus.SUCCEEDED, null),
                report(InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null));
        Transition late = StateMachine.apply(installed, seenByTheOtherServer);
        assertThat(late.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(late.after().state()).isEqualTo(MachineState.INSTALLED);
        // the DHCP of the real reboot, made after the install finished, still counts
        assertThat(run(installed, sighting(EventSource.DHCP)).state()).isEqualTo(MachineState.REBOOTING);

        MachineRecord failed = run(MachineRecord.unknown("node1", T0), report("install-os", EventStatus.FAILED, "dd failed"));
        assertThat(StateMachine.apply(failed, fetchSeenByTheOtherServer).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(run(failed, sighting(EventSource.HTTP)).state()).isEqualTo(MachineState.BOOTING);
    }

    @Test
    void resetStartsANewGenerationFromUnknown() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), report(InstallPhases.RUNNING, EventStatus.SUCCEEDED, null));
        Transition t = StateMachine.apply(r, new ProgressEvent("node1", EventSource.ADMIN, InstallPhases.REPROVISION,
                EventStatus.STARTED, Optional.of("disk swapped"), Optional.empty(), Optional.empty(), next()));
        assertThat(t.after().state()).isEqualTo(MachineState.UNKNOWN);
        assertThat(t.after().generation()).isEqualTo(1);
        assertThat(t.after().attemptStartedAt()).isEmpty();
        assertThat(run(t.after(), sighting(EventSource.DHCP)).state()).isEqualTo(MachineState.DHCP);
    }

    @Test
    void testOsInstalledReportFromNothingCountsAsInstalled() {
        MachineRecord r = run(MachineRecord.unknown("node1", T0), sighting(EventSource.HTTP),
                report(InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null));
        assertThat(r.state()).isEqualTo(MachineState.INSTALLED);
        assertThat(r.installDuration().orElseThrow().toSeconds()).isEqualTo(1);
    }

    @Test
    void messagesAreCappedToTheirTail() {
        String big = "x".repeat(10_000) + "THE END";
        ProgressEvent e = report("install-os", EventStatus.FAILED, big);
        assertThat(e.message().orElseThrow()).hasSize(ProgressEvent.MAX_MESSAGE).endsWith("THE END");
    }
}
