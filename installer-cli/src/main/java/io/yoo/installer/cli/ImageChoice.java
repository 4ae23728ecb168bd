package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which images {@code yoo assets sync/images} mirror: the Kubernetes version, CNI and whether
 * kube-vip runs, taken from the cluster descriptor ({@code -d FILE} / {@code --example NAME}) so that
 * the mirror holds exactly what that cluster's rendered configs reference. An explicit flag wins over
 * the descriptor; each such override is returned as a note (printed to stderr), because mirroring
 * something other than what the descriptor renders is usually a mistake worth seeing.
 *
 * @param version Kubernetes version, empty when neither a flag nor a descriptor gives one
 * @param notes   one line per flag that overrode a different descriptor value
 */
record ImageChoice(Optional<String> version, String cni, boolean kubeVip, List<String> notes) {
    static final String DEFAULT_CNI = "flannel";

    /** Flags are null when not given. */
    static ImageChoice of(Optional<ClusterDescriptor> descriptor, String versionFlag, String cniFlag, Boolean kubeVipFlag) {
        List<String> notes = new ArrayList<>();
        if (descriptor.isEmpty()) {
            return new ImageChoice(Optional.ofNullable(versionFlag), cniFlag != null ? cniFlag : DEFAULT_CNI,
                    kubeVipFlag == null || kubeVipFlag, notes);
        }
        var k = descriptor.get().kubernetes();
        String version = pick("--kubernetes", versionFlag, k.version(), "kubernetes.version", notes);
        String cni = pick("--cni", cniFlag, k.cni(), "kubernetes.cni", notes);
        boolean vip = k.vip().isPresent();
        if (kubeVipFlag != null && kubeVipFlag != vip) {
            notes.add((kubeVipFlag ? "--kube-vip" : "--no-kube-vip") + " overrides the descriptor, whose kubernetes.controlPlaneEndpoint "
                    + (vip ? "is a VIP (kube-vip runs)" : "is not a VIP (no kube-vip)"));
            vip = kubeVipFlag;
        }
        return new ImageChoice(Optional.of(version), cni, vip, notes);
    }

    private static String pick(String flag, String given, String fromDescriptor, String field, List<String> notes) {
        if (given == null) {
            return fromDescriptor;
        }
        if (!normalise(given).equals(normalise(fromDescriptor))) {
            notes.add(flag + " " + given + " overrides the descriptor's " + field + " " + fromDescriptor);
        }
        return given;
    }

    private static String normalise(String s) {
        return s.startsWith("v") ? s.substring(1) : s;
    }
}
