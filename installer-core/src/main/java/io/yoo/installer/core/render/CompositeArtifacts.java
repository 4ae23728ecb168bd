package io.yoo.installer.core.render;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.RequestFamily;
import java.util.List;
import java.util.Optional;

/**
 * Several renderers as one: the first that renders a kind wins. Lets the boot-menu renderer
 * (iPXE, PXELINUX, GRUB) and the config renderer (Ignition/cloud-config, install script,
 * kubeadm) be built separately and served together.
 */
public final class CompositeArtifacts implements MachineArtifacts {
    private final List<MachineArtifacts> parts;
    private volatile CompositeArtifacts overIpv4;
    private volatile CompositeArtifacts overIpv6;

    public CompositeArtifacts(List<? extends MachineArtifacts> parts) {
        this.parts = List.copyOf(parts);
    }

    public static CompositeArtifacts of(MachineArtifacts... parts) {
        return new CompositeArtifacts(List.of(parts));
    }

    @Override
    public Optional<Rendered> render(String machine, ArtifactKind kind) {
        for (MachineArtifacts p : parts) {
            Optional<Rendered> r = p.render(machine, kind);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /**
     * Each part over {@code family}, made once per family and kept (a boot-script request must not
     * build objects to find its renderer); the parts' {@code over} return their own fixed siblings.
     */
    @Override
    public MachineArtifacts over(RequestFamily family) {
        CompositeArtifacts c = family == RequestFamily.IPV6 ? overIpv6 : overIpv4;
        if (c == null) {
            List<MachineArtifacts> over = parts.stream().map(p -> p.over(family)).toList();
            c = over.equals(parts) ? this : new CompositeArtifacts(over); // a benign race: both threads build the same
            if (family == RequestFamily.IPV6) {
                overIpv6 = c;
            } else {
                overIpv4 = c;
            }
        }
        return c;
    }

    @Override
    public Optional<Rendered> unknownMenu() {
        for (MachineArtifacts p : parts) {
            Optional<Rendered> r = p.unknownMenu();
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean discoversUnknown() {
        return parts.stream().anyMatch(MachineArtifacts::discoversUnknown);
    }

    @Override
    public Optional<Rendered> discoveryScript(MacAddress mac, String enrollmentToken) {
        return parts.stream().map(p -> p.discoveryScript(mac, enrollmentToken)).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<Rendered> discoveryProgram(MacAddress mac, String enrollmentToken) {
        return parts.stream().map(p -> p.discoveryProgram(mac, enrollmentToken)).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<Rendered> discoveryLiveConfig(MacAddress mac, String enrollmentToken) {
        return parts.stream().map(p -> p.discoveryLiveConfig(mac, enrollmentToken)).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<Rendered> profileLiveConfig(String profile) {
        for (MachineArtifacts p : parts) {
            Optional<Rendered> r = p.profileLiveConfig(profile);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}
