package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BootPolicy} whose decisions can be replaced while servers run: a reloaded descriptor
 * takes effect on the next packet, without restarting the servers (TFTP transfers in flight are
 * not dropped). Each call reads the current delegate once, so one decision never mixes two.
 */
public final class SwitchableBootPolicy implements BootPolicy {
    private volatile BootPolicy current;

    public SwitchableBootPolicy(BootPolicy initial) {
        this.current = Objects.requireNonNull(initial);
    }

    public void switchTo(BootPolicy next) {
        this.current = Objects.requireNonNull(next);
    }

    public BootPolicy current() {
        return current;
    }

    @Override
    public BootDecision decide(BootRequest request) {
        return current.decide(request);
    }

    @Override
    public Optional<byte[]> virtualFile(String path, Ipv4 client) {
        return current.virtualFile(path, client);
    }

    @Override
    public void observe(Sighting sighting) {
        current.observe(sighting);
    }
}
