package io.yoo.installer.core.render;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.RequestFamily;
import java.util.Optional;

/**
 * Renders what one machine receives. The HTTP and TFTP servers serve these; the CLI's
 * {@code yoo render} prints them. Empty when the kind does not apply (e.g. kubeadm for a machine
 * whose architecture needs none) or the machine is unknown.
 */
public interface MachineArtifacts {
    /** As served to a request over IPv4 (an IPv6-only machine's URLs are on IPv6 all the same); see {@link #over}. */
    Optional<Rendered> render(String machine, ArtifactKind kind);

    /**
     * These artifacts as served to a request that reached the server over {@code family}: their
     * URLs name the server on that family ({@code BootUrls.forMachine}), so that a dual-stack
     * machine booting over IPv6 is sent on over IPv6. The HTTP server asks with the family of each
     * request. Same family, same descriptor: same bytes (both servers of a pair render alike).
     * Default: this (a renderer whose output does not depend on the family).
     */
    default MachineArtifacts over(RequestFamily family) {
        return this;
    }

    /**
     * The iPXE boot menu for machines that are not in the descriptor; empty when they are refused
     * ({@code server.allowUnknown: false}) or this renderer does not make it.
     */
    default Optional<Rendered> unknownMenu() {
        return Optional.empty();
    }

    /**
     * The live config of boot-menu profile {@code profile} (one of {@link MenuProfile#ORIGINAL_SIX}),
     * the same for every machine not in the descriptor; empty when they are refused, the profile
     * does not exist or this renderer does not make it.
     */
    default Optional<Rendered> profileLiveConfig(String profile) {
        return Optional.empty();
    }

    /**
     * True when machines in no descriptor boot discovery ({@code server.discovery}); then
     * {@link #discoveryScript} and {@link #discoveryLiveConfig} render for them.
     */
    default boolean discoversUnknown() {
        return false;
    }

    /** The iPXE script that boots discovery for {@code mac}, with its enrollment token; empty when discovery is off. */
    default Optional<Rendered> discoveryScript(MacAddress mac, String enrollmentToken) {
        return Optional.empty();
    }

    /** The discovery script alone ({@code yoo-discover}, for the e2e test OS's {@code yoo.script=}); empty when discovery is off. */
    default Optional<Rendered> discoveryProgram(MacAddress mac, String enrollmentToken) {
        return Optional.empty();
    }

    /** The discovery live config (Ignition or cloud-config) for {@code mac}; empty when discovery is off. */
    default Optional<Rendered> discoveryLiveConfig(MacAddress mac, String enrollmentToken) {
        return Optional.empty();
    }
}
