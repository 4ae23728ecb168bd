package io.yoo.installer.http.api.machines;

import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.Transition;
import io.yoo.installer.http.api.MachineViews;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reprovision, the same from the API, the bulk API and the UI: the machine's record is reset
 * (state {@code unknown}, a new attempt), then, when it has a BMC, network boot once and a power
 * cycle (power on if it was off), so it reinstalls now rather than at its next reboot. A BMC that
 * fails is reported in the answer; the reset stands (the machine reinstalls at its next boot).
 * BMC calls of a bulk reprovision run at most {@value #PARALLEL_BMC} at a time.
 */
final class Reprovisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Reprovisioner.class);
    static final int PARALLEL_BMC = 16;

    private final StateStore store;
    private final MachineViews views;
    private final MachineBmcs bmcs;

    Reprovisioner(StateStore store, MachineViews views, MachineBmcs bmcs) {
        this.store = store;
        this.views = views;
        this.bmcs = bmcs;
    }

    /** The machine's view after the reset, with {@code bmc}: null (none), or {@code {address, done}} / {@code {address, error}}. */
    Map<String, Object> reprovision(String name, String reason) {
        Transition t = store.reset(name, reason, Instant.now());
        LOG.info("machine {} reset for reprovisioning ({}), generation {}", name, reason, t.after().generation());
        Map<String, Object> out = new LinkedHashMap<>(views.view(name, t.after()));
        out.put("bmc", bmcs.of(name).map(b -> bmc(name, b)).orElse(null));
        return out;
    }

    /** {@link #reprovision} for each name: the resets in order, the BMC calls in parallel (bounded). */
    List<Map<String, Object>> reprovisionAll(List<String> names, String reason) {
        Semaphore slots = new Semaphore(PARALLEL_BMC);
        List<Future<Map<String, Object>>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                Transition t = store.reset(name, reason, Instant.now());
                Map<String, Object> view = new LinkedHashMap<>(views.view(name, t.after()));
                Optional<MachineBmcs.Bmc> bmc = bmcs.of(name);
                pending.add(pool.submit(() -> {
                    if (bmc.isEmpty()) {
                        view.put("bmc", null);
                        return view;
                    }
                    slots.acquire();
                    try {
                        view.put("bmc", bmc(name, bmc.get()));
                    } finally {
                        slots.release();
                    }
                    return view;
                }));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Future<Map<String, Object>> f : pending) {
                out.add(f.get());
            }
            LOG.info("{} machines reset for reprovisioning ({})", names.size(), reason);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reprovisioning", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reprovisioning failed: " + e.getCause(), e.getCause());
        }
    }

    private static Map<String, Object> bmc(String name, MachineBmcs.Bmc bmc) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("address", bmc.describe());
        try {
            bmc.reprovision();
            b.put("done", "network boot once, power cycled");
            LOG.info("machine {}: network boot once set and power cycled through {}", name, bmc.describe());
        } catch (IOException | RuntimeException e) {
            b.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.warn("machine {}: BMC {} failed: {}", name, bmc.describe(), e.getMessage());
        }
        return b;
    }
}
