package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.nio.file.Path;

/**
 * The cluster behind {@code yoo http --demo-machines N}: a devtest descriptor with N machines
 * ({@code demo-0001}..., MAC 02:00:00:00:00:01..., addresses in 10.200.0.0/16), loaded through
 * the real {@link DescriptorLoader}, so the demo serves what {@code yoo serve} renders for real
 * machines — the script endpoint benchmark measures the production renderer, not a stand-in.
 */
final class DemoCluster {
    private DemoCluster() {}

    static ClusterDescriptor of(int machines, int httpPort) {
        if (machines < 1 || machines > 65_000) {
            throw new IllegalArgumentException("--demo-machines must be 1..65000, was " + machines);
        }
        StringBuilder y = new StringBuilder("""
                cluster: demo
                architecture: devtest
                network:
                  interface: lo
                  server: 10.200.0.1
                  subnet: 10.200.0.0/16
                  dhcp: proxy
                server:
                  httpPort: %d
                os:
                  channel: stable
                  version: 4081.2.0
                machines:
                """.formatted(httpPort));
        for (int i = 1; i <= machines; i++) {
            y.append("  - name: demo-%04d\n    role: %s\n    mac: \"02:00:00:00:%02x:%02x\"\n    ip: 10.200.%d.%d\n"
                    .formatted(i, i == 1 ? "control-plane" : "worker", (i >> 8) & 0xff, i & 0xff, 1 + i / 250, 1 + i % 250));
        }
        try {
            return DescriptorLoader.parse(y.toString(), Path.of("demo-cluster.yml"), Path.of("."));
        } catch (DescriptorException e) {
            throw new IllegalStateException("the generated demo descriptor is invalid: " + e.getMessage(), e);
        }
    }
}
