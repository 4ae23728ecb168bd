package io.yoo.installer.core.kubernetes;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CNIs Yoo knows by name, and which of them it supports: one list for {@code yoo validate}
 * (the descriptor's {@code kubernetes.cni}) and {@code yoo assets sync/images --cni}, so that
 * nothing is mirrored for a CNI the descriptor would refuse.
 */
public final class Cnis {
    /** Every name accepted by spelling (so that a typo of any of them still gets a suggestion). */
    public static final List<String> KNOWN = List.of("flannel", "calico", "cilium", "none");

    /** Known, but refused: no manifest for them is rendered, and no image set is pinned. */
    public static final Set<String> UNSUPPORTED = Set.of("calico", "cilium");

    private Cnis() {}

    /** Why {@code cni} is refused, or empty when it is supported (flannel, none) or unknown. */
    public static Optional<String> refusal(String cni) {
        return UNSUPPORTED.contains(cni)
                ? Optional.of("cni '" + cni + "' is not supported yet: use flannel (installed for you),"
                        + " or none and apply your own CNI once the first control-plane node is up")
                : Optional.empty();
    }
}
