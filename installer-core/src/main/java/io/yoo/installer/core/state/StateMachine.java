package io.yoo.installer.core.state;

import static io.yoo.installer.core.state.MachineState.BOOTING;
import static io.yoo.installer.core.state.MachineState.DHCP;
import static io.yoo.installer.core.state.MachineState.FAILED;
import static io.yoo.installer.core.state.MachineState.INSTALLED;
import static io.yoo.installer.core.state.MachineState.INSTALLING;
import static io.yoo.installer.core.state.MachineState.REBOOTING;
import static io.yoo.installer.core.state.MachineState.RUNNING;
import static io.yoo.installer.core.state.MachineState.UNKNOWN;

import java.util.Objects;
import java.util.Optional;

/**
 * The per-machine provisioning state machine: {@code unknown → dhcp → booting → installing
 * (sub-phases) → installed → rebooting → running | failed}. Pure: (record, event) → transition,
 * no I/O, so every rule is tested without a database.
 *
 * <p>Rules worth knowing:
 * <ul>
 *   <li>Sightings only move a machine forward: a DHCP renewal of a running machine or a
 *       re-fetched script changes nothing (IGNORED, not even stored, so renewals cannot flood
 *       the history). An installed machine that does DHCP again is rebooting.</li>
 *   <li>A sighting made before the machine became installed or failed is stale and changes
 *       nothing (IGNORED): sightings are stored after the protocol answer, so with several servers
 *       (a relay copies each request to all of them) one server's sighting of a DHCP exchange can
 *       commit after the machine reported {@code installed} through another; taken as new, it
 *       would make an install that just finished "rebooting", or restart a failed attempt.</li>
 *   <li>An exact repeat of the last report (a retried POST) is IGNORED; it is still answered 2xx.</li>
 *   <li>A report that would move a machine backwards (a step that precedes the current one, any
 *       step after {@code installed}) is RECORDED in the history but leaves the state alone.</li>
 *   <li>A failed machine stays failed until an operator resets it, or it starts over by itself:
 *       it fetches its boot script again, or reports the first step as started.</li>
 *   <li>A boot program the machine asked for and could not get (a failed TFTP sighting) fails
 *       it with the reason, unless it boots from disk; its retries are not stored again.</li>
 *   <li>{@code running} is the machine's own word that it booted from disk and wins from any state.</li>
 * </ul>
 */
public final class StateMachine {
    private StateMachine() {}

    public static Transition apply(MachineRecord before, ProgressEvent e) {
        Objects.requireNonNull(before);
        if (!before.name().equals(e.machine())) {
            throw new IllegalArgumentException("event for " + e.machine() + " applied to " + before.name());
        }
        return switch (e.source()) {
            case DHCP -> dhcpSighting(before, e);
            case TFTP, HTTP -> bootFetch(before, e);
            case ADMIN -> reset(before, e);
            case CALLBACK -> report(before, e);
        };
    }

    private static Transition dhcpSighting(MachineRecord before, ProgressEvent e) {
        if (isStale(before, e)) {
            return ignored(before, e);
        }
        return switch (before.state()) {
            case UNKNOWN -> applied(before, before.moveTo(DHCP, e).withAttemptStart(e.at()), e);
            case INSTALLED -> applied(before, before.moveTo(REBOOTING, e), e);
            default -> ignored(before, e);
        };
    }

    private static Transition bootFetch(MachineRecord before, ProgressEvent e) {
        if (isStale(before, e)) {
            return ignored(before, e);
        }
        if (e.status() == EventStatus.FAILED) {
            return bootFetchFailed(before, e);
        }
        return switch (before.state()) {
            case UNKNOWN -> applied(before, before.moveTo(BOOTING, e).withAttemptStart(e.at()), e);
            case DHCP -> applied(before, before.moveTo(BOOTING, e), e);
            // a failed machine that boots again is retrying: a new attempt starts now
            case FAILED -> applied(before, before.moveTo(BOOTING, e).withAttemptStart(e.at()), e);
            default -> ignored(before, e);
        };
    }

    /**
     * The machine asked for its boot program and did not get it (no iPXE binaries): it cannot
     * boot, so it fails with the reason, and starts over when a later fetch succeeds. Firmware
     * retries (the same report again) are not stored. A machine that boots from disk is never
     * sent to TFTP, so such a report about it changes nothing.
     */
    private static Transition bootFetchFailed(MachineRecord before, ProgressEvent e) {
        if (before.state().bootsFromDisk() || isRepeat(before, e)) {
            return ignored(before, e);
        }
        return applied(before, startIfNew(before, e).moveTo(FAILED, e), e);
    }

    private static Transition reset(MachineRecord before, ProgressEvent e) {
        MachineRecord after = new MachineRecord(before.name(), UNKNOWN, Optional.of(e.phase()), Optional.of(e.status()),
                e.message(), before.generation() + 1, e.at(), e.at(), Optional.empty(), Optional.empty(),
                before.lastMac(), before.lastIp(), before.lastIpv6());
        return new Transition(before, after, e, Outcome.APPLIED);
    }

    private static Transition report(MachineRecord before, ProgressEvent e) {
        if (isRepeat(before, e)) {
            return ignored(before, e);
        }
        MachineState s = before.state();
        if (e.phase().equals(InstallPhases.RUNNING) && e.status() != EventStatus.FAILED) {
            return applied(before, before.moveTo(RUNNING, e), e);
        }
        if (s == RUNNING || s == REBOOTING || s == INSTALLED) {
            return recorded(before, e); // late report from the install that already finished
        }
        if (e.status() == EventStatus.FAILED) {
            if (s == FAILED) {
                return recorded(before, e); // the first failure is the one worth showing
            }
            return applied(before, startIfNew(before, e).moveTo(FAILED, e), e);
        }
        if (e.phase().equals(InstallPhases.INSTALLED)) {
            if (s == FAILED) {
                return recorded(before, e);
            }
            return applied(before, startIfNew(before, e).moveTo(INSTALLED, e).withInstalledAt(e.at()), e);
        }
        // an install step started or succeeded
        int idx = InstallPhases.indexOf(e.phase());
        if (s == FAILED) {
            boolean startsOver = idx == 0 && e.status() == EventStatus.STARTED;
            return startsOver ? applied(before, before.withAttemptStart(e.at()).moveTo(INSTALLING, e), e) : recorded(before, e);
        }
        if (s == INSTALLING && isBehind(before, e, idx)) {
            return recorded(before, e);
        }
        return applied(before, startIfNew(before, e).moveTo(INSTALLING, e), e);
    }

    /** True when the report is older than what the machine already reported in this attempt. */
    private static boolean isBehind(MachineRecord before, ProgressEvent e, int idx) {
        int cur = before.phase().map(InstallPhases::indexOf).orElse(-1);
        if (idx < 0 || cur < 0) {
            return false; // unknown step names carry no order
        }
        if (idx != cur) {
            return idx < cur;
        }
        // same step: "started" after "succeeded" is late
        return e.status() == EventStatus.STARTED && before.phaseStatus().orElse(null) == EventStatus.SUCCEEDED;
    }

    /**
     * True for a sighting made before the machine entered its installed or failed state: it belongs
     * to the attempt that state ended, not to a reboot or a retry. Only these two states are
     * guarded: leaving them takes a reboot (tens of seconds), far more than the clock difference
     * of two servers, while the steps of one attempt can follow each other within milliseconds.
     */
    private static boolean isStale(MachineRecord before, ProgressEvent e) {
        return (before.state() == INSTALLED || before.state() == FAILED) && e.at().isBefore(before.stateSince());
    }

    private static boolean isRepeat(MachineRecord before, ProgressEvent e) {
        return before.phase().map(e.phase()::equals).orElse(false)
                && before.phaseStatus().map(e.status()::equals).orElse(false)
                && (e.message().isEmpty() || e.message().equals(before.message()))
                && before.state() != UNKNOWN;
    }

    private static MachineRecord startIfNew(MachineRecord before, ProgressEvent e) {
        return before.attemptStartedAt().isEmpty() || before.state() == UNKNOWN ? before.withAttemptStart(e.at()) : before;
    }

    private static Transition applied(MachineRecord before, MachineRecord after, ProgressEvent e) {
        return new Transition(before, after, e, Outcome.APPLIED);
    }

    private static Transition recorded(MachineRecord before, ProgressEvent e) {
        return new Transition(before, before, e, Outcome.RECORDED);
    }

    private static Transition ignored(MachineRecord before, ProgressEvent e) {
        return new Transition(before, before, e, Outcome.IGNORED);
    }

}
