package io.yoo.installer.core.render;

import io.yoo.installer.api.net.MacAddress;
import java.util.Optional;

/**
 * Renders what one machine receives. The HTTP and TFTP servers serve these; the CLI's
 * {@code yoo render} prints them. Empty when the kind does not apply (e.g. kubeadm for a machine
 * whose architecture needs none) or the machine is unknown.
 */
public interface MachineArtifacts {
    Optional<Rendered> render(String machine, ArtifactKind kind);

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
