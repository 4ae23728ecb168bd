package io.yoo.installer.core.state;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.lifecycle.Lifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Where machines' states and histories live. Every write goes through {@link StateMachine} and
 * is committed before the method returns, so a caller that answers a machine only after
 * {@link #record} returned never acknowledges an event a crash can lose.
 *
 * <p>Also the {@link MachineStateView} the boot policy reads ("is this machine installed?").
 */
public interface StateStore extends MachineStateView, Lifecycle {

    /** Applies and durably stores one event; returns what happened. */
    Transition record(ProgressEvent event);

    /**
     * Feeds a protocol server's sighting: DHCP → {@code dhcp}; a TFTP or HTTP fetch of a boot
     * program or script → {@code booting}. Sightings of machines not in the descriptor are dropped.
     */
    default Optional<Transition> observe(Sighting sighting, Instant at) {
        return Sightings.toEvent(sighting, at).map(this::record);
    }

    /**
     * Queues the event and returns without waiting for the commit; events queued in turn are
     * applied in that order. For callers that must not block (an HTTP I/O thread). This default
     * stores synchronously.
     */
    default CompletableFuture<Transition> recordAsync(ProgressEvent event) {
        try {
            return CompletableFuture.completedFuture(record(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #observe} without waiting: a sighting is an observation the protocol answer does not
     * depend on, so DHCP, TFTP and HTTP answer at once; a sighting that cannot be stored is logged.
     * Later events of the same machine still apply after it (one queue, in order).
     */
    default void observeLater(Sighting sighting, Instant at) {
        Sightings.toEvent(sighting, at).ifPresent(e -> recordAsync(e).whenComplete((t, failure) -> {
            if (failure != null) {
                LoggerFactory.getLogger(StateStore.class)
                        .warn("sighting of {} not stored: {}", e.machine(), failure.getMessage());
            }
        }));
    }

    /** Resets a machine for reprovisioning: state {@code unknown}, generation + 1, history kept. */
    default Transition reset(String machine, String reason, Instant at) {
        return record(new ProgressEvent(machine, EventSource.ADMIN, InstallPhases.REPROVISION, EventStatus.STARTED,
                Optional.ofNullable(reason), Optional.empty(), Optional.empty(), at));
    }

    Optional<MachineRecord> machine(String name);

    /** Every machine the store has seen, by name. */
    List<MachineRecord> machines();

    /** The newest {@code limit} events of a machine, oldest first. */
    List<StoredEvent> history(String machine, int limit);

    Map<MachineState, Long> countByState();

    void addListener(StateListener listener);

    /** Whether the database takes writes, and what waits for it. */
    default StoreStatus status() {
        return StoreStatus.UP;
    }

    /** True when the database answers (for {@code /readyz}). */
    boolean ping();

    @Override
    default MachineState stateOf(String machine) {
        return machine(machine).map(MachineRecord::state).orElse(MachineState.UNKNOWN);
    }
}
