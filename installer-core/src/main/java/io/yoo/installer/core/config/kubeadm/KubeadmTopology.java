package io.yoo.installer.core.config.kubeadm;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The control-plane shape each architecture needs for kubeadm with stacked etcd: etcd wants an
 * odd number of members to keep a quorum through a loss.
 */
public final class KubeadmTopology {
    private KubeadmTopology() {}

    public static List<String> problems(ClusterDescriptor c) {
        List<String> p = new ArrayList<>();
        int cp = c.controlPlane().size();
        int workers = c.workers().size();
        switch (c.architecture()) {
            case DEV -> {
                if (cp != 1 || workers != 0) {
                    p.add("architecture dev: exactly one machine, role control-plane (has " + cp + " control-plane, " + workers + " workers)");
                }
            }
            case DEVTEST -> {
                if (cp != 1) {
                    p.add("architecture devtest: exactly one control-plane machine (has " + cp + ")");
                }
            }
            case SMALL -> {
                if (cp < 3 || cp > 9 || cp % 2 == 0) {
                    p.add("architecture small: 3, 5, 7 or 9 control-plane machines for stacked etcd (has " + cp + ")");
                }
            }
            case PRODUCTION -> {
                if (cp != 3 && cp != 5) {
                    p.add("architecture production: 3 or 5 control-plane machines (has " + cp + ")");
                }
            }
        }
        return p;
    }
}
