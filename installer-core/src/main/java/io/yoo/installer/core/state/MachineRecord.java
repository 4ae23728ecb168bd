package io.yoo.installer.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The current provisioning state of one machine.
 *
 * @param phase            last install step applied (or the milestone/pseudo-phase that set the state)
 * @param phaseStatus      that step's status
 * @param message          last message reported (a failed step's output tail)
 * @param generation       how many times the machine was reset for reprovisioning
 * @param stateSince       when the machine entered {@code state}
 * @param updatedAt        when anything about it last changed
 * @param attemptStartedAt first sign of the current install attempt (DHCP, boot fetch or first report)
 * @param installedAt      when it reported {@code installed}
 * @param lastIp           the IPv4 address it last reported from or was seen with
 * @param lastIpv6         the IPv6 address it last reported from or was seen with (a machine talking IPv6)
 */
public record MachineRecord(
        String name,
        MachineState state,
        Optional<String> phase,
        Optional<EventStatus> phaseStatus,
        Optional<String> message,
        int generation,
        Instant stateSince,
        Instant updatedAt,
        Optional<Instant> attemptStartedAt,
        Optional<Instant> installedAt,
        Optional<String> lastMac,
        Optional<String> lastIp,
        Optional<String> lastIpv6) {

    public MachineRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(state);
    }

    /** A machine nothing is known about yet. */
    public static MachineRecord unknown(String name, Instant now) {
        return new MachineRecord(name, MachineState.UNKNOWN, Optional.empty(), Optional.empty(), Optional.empty(), 0,
                now, now, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Time from the first sign of this attempt to {@code installed}, when both are known. */
    public Optional<Duration> installDuration() {
        if (attemptStartedAt.isEmpty() || installedAt.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(attemptStartedAt.get(), installedAt.get()));
    }

    MachineRecord moveTo(MachineState next, ProgressEvent e) {
        Instant since = next == state ? stateSince : e.at();
        return new MachineRecord(name, next, Optional.of(e.phase()), Optional.of(e.status()),
                e.message().isPresent() ? e.message() : (next == state ? message : Optional.empty()),
                generation, since, e.at(), attemptStartedAt, installedAt,
                e.mac().or(() -> lastMac), e.ip().filter(ip -> !isIpv6(ip)).or(() -> lastIp),
                e.ip().filter(MachineRecord::isIpv6).or(() -> lastIpv6));
    }

    /** An event's address in text: IPv6 has colons, IPv4 none (each family keeps its own last address). */
    static boolean isIpv6(String address) {
        return address.indexOf(':') >= 0;
    }

    MachineRecord withAttemptStart(Instant at) {
        return new MachineRecord(name, state, phase, phaseStatus, message, generation, stateSince, updatedAt,
                Optional.of(at), Optional.empty(), lastMac, lastIp, lastIpv6);
    }

    MachineRecord withInstalledAt(Instant at) {
        return new MachineRecord(name, state, phase, phaseStatus, message, generation, stateSince, updatedAt,
                attemptStartedAt, Optional.of(at), lastMac, lastIp, lastIpv6);
    }
}
