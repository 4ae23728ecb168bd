package io.yoo.installer.api.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts components in order and stops them in reverse order. If one fails to start, the ones
 * already started are stopped again, so a failed start leaves nothing bound.
 */
public final class LifecycleGroup implements Lifecycle {
    private final String name;
    private final List<Lifecycle> components;
    private final List<Lifecycle> started = new ArrayList<>();

    public LifecycleGroup(String name, List<? extends Lifecycle> components) {
        this.name = Objects.requireNonNull(name);
        this.components = List.copyOf(components);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() throws Exception {
        if (!started.isEmpty()) {
            throw new IllegalStateException(name + " already started");
        }
        for (Lifecycle component : components) {
            try {
                component.start();
                started.add(component);
            } catch (Exception e) {
                stop();
                throw e;
            }
        }
    }

    @Override
    public synchronized void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !started.isEmpty();
    }
}
