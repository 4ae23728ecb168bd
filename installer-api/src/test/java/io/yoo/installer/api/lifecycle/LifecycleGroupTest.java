package io.yoo.installer.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleGroupTest {
    final List<String> log = new ArrayList<>();

    Lifecycle component(String name, boolean fails) {
        return new Lifecycle() {
            boolean running;

            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() throws IOException {
                if (fails) {
                    throw new IOException("Address already in use");
                }
                running = true;
                log.add("start " + name);
            }

            @Override
            public void stop() {
                if (running) {
                    log.add("stop " + name);
                }
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        LifecycleGroup g = new LifecycleGroup("serve", List.of(component("store", false), component("http", false)));
        g.start();
        assertThat(g.isRunning()).isTrue();
        g.stop();
        assertThat(log).containsExactly("start store", "start http", "stop http", "stop store");
        assertThat(g.isRunning()).isFalse();
    }

    @Test
    void aFailedStartStopsTheStartedOnesAndNamesTheFailingComponent() {
        Lifecycle tftp = component("tftp", true);
        LifecycleGroup g = new LifecycleGroup("serve", List.of(component("store", false), component("http", false), tftp,
                component("dhcp", false)));
        LifecycleGroup.StartFailure f = catchThrowableOfType(LifecycleGroup.StartFailure.class, g::start);
        assertThat(f.component()).isSameAs(tftp);
        assertThat(f.reason()).isInstanceOf(IOException.class).hasMessage("Address already in use");
        assertThat(f).hasMessage("tftp: Address already in use");
        assertThat(log).containsExactly("start store", "start http", "stop http", "stop store");
        assertThat(g.isRunning()).isFalse();
    }
}
