package io.yoo.installer.api.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts components in order and stops them in reverse order. If one fails to start, the ones
 * already started are stopped again, so a failed start leaves nothing bound, and the
 * {@link StartFailure} names the component that failed (for a message like "cannot start dhcp: ...").
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

    /**
     * @throws StartFailure when a component does not start; those started before it are stopped
     */
    @Override
    public synchronized void start() throws StartFailure {
        if (!started.isEmpty()) {
            throw new IllegalStateException(name + " already started");
        }
        for (Lifecycle component : components) {
            try {
                component.start();
                started.add(component);
            } catch (Exception e) {
                stop();
                throw new StartFailure(component, e);
            }
        }
    }

    /** A component did not start: which one, and why ({@link #getCause()}, as it threw it). */
    public static final class StartFailure extends Exception {
        private final transient Lifecycle component;

        StartFailure(Lifecycle component, Exception cause) {
            super(component.name() + ": " + cause.getMessage(), cause);
            this.component = component;
        }

        public Lifecycle component() {
            return component;
        }

        /** What the component threw. */
        public Exception reason() {
            return (Exception) getCause();
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
