package io.yoo.installer.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.core.state.MachineState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a set of machines stands, from the API's machine records: done (boots from disk),
 * failed, in progress, waiting (nothing heard yet). "Done" is the core's definition, not a
 * list of state names here.
 */
public record Progress(List<JsonNode> machines, Map<String, Long> byState, long done, long failed, long active, long waiting) {

    public static Progress of(List<JsonNode> machines) {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (MachineState s : MachineState.values()) {
            byState.put(s.key(), 0L);
        }
        long done = 0;
        long failed = 0;
        long active = 0;
        long waiting = 0;
        for (JsonNode m : machines) {
            MachineState s = state(m);
            byState.merge(s.key(), 1L, Long::sum);
            if (s.isDone()) {
                done++;
            } else if (s == MachineState.FAILED) {
                failed++;
            } else if (s == MachineState.UNKNOWN) {
                waiting++;
            } else {
                active++;
            }
        }
        return new Progress(List.copyOf(machines), byState, done, failed, active, waiting);
    }

    static MachineState state(JsonNode m) {
        try {
            return MachineState.valueOf(m.path("state").asText("unknown").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return MachineState.UNKNOWN; // a state a newer server knows: not done, not failed
        }
    }

    public int total() {
        return machines.size();
    }

    /** Nothing left to wait for: every machine is done or failed. */
    public boolean settled() {
        return active == 0 && waiting == 0;
    }

    public List<JsonNode> failedMachines() {
        return sorted(MachineState.FAILED);
    }

    /** Machines the server is hearing from now (dhcp, booting, installing), oldest first. */
    public List<JsonNode> activeMachines() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : machines) {
            MachineState s = state(m);
            if (!s.isDone() && s != MachineState.FAILED && s != MachineState.UNKNOWN) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing((JsonNode m) -> since(m).orElse(Instant.MAX)));
        return out;
    }

    /** Failed machines, newest failure first (the one to look at now). */
    private List<JsonNode> sorted(MachineState state) {
        return machines.stream().filter(m -> state(m) == state)
                .sorted(Comparator.comparing((JsonNode m) -> since(m).orElse(Instant.EPOCH)).reversed()).toList();
    }

    /** When the machine entered its state; the API gives epoch milliseconds or RFC 3339. */
    public static Optional<Instant> since(JsonNode m) {
        return time(m.path("stateSince"));
    }

    public static Optional<Instant> time(JsonNode v) {
        if (v.isNumber()) {
            return Optional.of(Instant.ofEpochMilli(v.asLong()));
        }
        if (v.isTextual()) {
            try {
                return Optional.of(Instant.parse(v.asText()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * How long the current attempt has taken: until now while it runs, frozen at its end for a
     * failed or done machine (a failure from yesterday is not "24 h and counting").
     */
    public static Optional<Duration> elapsed(JsonNode m, Instant now) {
        Optional<Instant> start = time(m.path("attemptStartedAt"));
        if (start.isEmpty()) {
            return Optional.empty();
        }
        MachineState s = state(m);
        Instant end = s == MachineState.FAILED || s.isDone() ? since(m).orElse(now) : now;
        return Optional.of(Duration.between(start.get(), end).isNegative() ? Duration.ZERO : Duration.between(start.get(), end));
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? "%dh%02dm".formatted(s / 3600, s / 60 % 60) : s >= 60 ? "%dm%02ds".formatted(s / 60, s % 60) : s + "s";
    }
}
