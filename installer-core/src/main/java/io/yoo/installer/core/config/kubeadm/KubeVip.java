package io.yoo.installer.core.config.kubeadm;

import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import io.yoo.installer.core.template.Templates;
import java.util.HashMap;
import java.util.Map;

/**
 * kube-vip's static pod for a control-plane node: ARP mode, leader election over a lease, the
 * VIP of {@code kubernetes.controlPlaneEndpoint} on port 6443. The install NIC's name is only
 * known on the machine, so the manifest carries {@code @YOO_INSTALL_NIC@} and kubeadm-up fills it
 * in (the interface that holds the node's address) when it places the manifest.
 */
public final class KubeVip {
    static final int FIRST_SUPER_ADMIN_MINOR = 29;
    private final Templates templates;

    public KubeVip(Templates templates) {
        this.templates = templates;
    }

    public String render(NodeContext node) {
        Map<String, Object> m = new HashMap<>();
        m.put("node", node.name());
        m.put("cluster", node.cluster().name());
        m.put("ip", node.address());
        m.put("vip", node.kubeVipAddress().orElseThrow().toString());
        m.put("apiPort", NodeContext.API_SERVER_PORT);
        // the name `yoo assets sync` mirrors and preload-images imports (one place: KubernetesImages)
        m.put("image", KubernetesImages.KUBE_VIP.name());
        return templates.render("config/kubeadm/kube-vip.yaml", m);
    }

    /**
     * The kubeconfig kube-vip reads while the first node runs {@code kubeadm init}: from 1.29 on,
     * kubeadm's admin.conf belongs to the group {@code kubeadm:cluster-admins}, bound to
     * cluster-admin only near the end of init, through the API that kube-vip has to make
     * reachable first; super-admin.conf ({@code system:masters}) works from the start.
     */
    public static String initKubeconfig(String kubernetesVersion) {
        String[] p = kubernetesVersion.split("\\.");
        boolean superAdmin = Integer.parseInt(p[0]) > 1 || Integer.parseInt(p[1]) >= FIRST_SUPER_ADMIN_MINOR;
        return superAdmin ? "/etc/kubernetes/super-admin.conf" : "/etc/kubernetes/admin.conf";
    }
}
