package io.yoo.installer.core.config.script;

import io.yoo.installer.core.config.model.ConfigInputs;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.template.Templates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The install script, rendered per machine from template {@code config/install.sh}. Every value
 * reaches the template already checked ({@link ConfigInputs}) and single-quoted
 * ({@link ShellQuote}), under {@code q.*}; the template never sees raw descriptor text.
 */
public final class InstallScript {
    private final Templates templates;
    private final StepLimits limits;

    public InstallScript(Templates templates, StepLimits limits) {
        this.templates = templates;
        this.limits = limits;
    }

    public InstallScript(Templates templates) {
        this(templates, StepLimits.DEFAULT);
    }

    public String render(NodeContext node) {
        String base = ConfigInputs.url("server base URL", node.urls().base());
        List<String> ntp = new ArrayList<>();
        for (int i = 0; i < node.cluster().ntp().size(); i++) {
            ntp.add(ConfigInputs.host("ntp[" + i + "]", node.cluster().ntp().get(i)));
        }
        List<String> preload = new ArrayList<>();
        for (int i = 0; i < node.cluster().preloadImages().size(); i++) {
            preload.add(ConfigInputs.assetPath("preloadImages[" + i + "]", node.cluster().preloadImages().get(i)));
        }
        Map<String, String> q = new HashMap<>();
        q.put("machine", node.name());
        q.put("callback", node.callbackUrl());
        q.put("logUrl", node.urls().installLog(node.name(), node.token()));
        q.put("scriptUrl", node.urls().installScript(node.name(), node.token()));
        q.put("configUrl", node.urls().installedConfig(node.name(), node.token()));
        q.put("configFlag", node.dialect() == ConfigDialect.IGNITION ? "-i" : "-c");
        q.put("assets", base + "/assets");
        q.put("osChannel", node.osChannel());
        q.put("osVersion", node.osVersion());
        q.put("disk", node.installDisk());
        q.put("kubernetesVersion", node.kubernetesVersion());
        q.put("ntp", String.join(" ", ntp));
        q.put("preloadImages", String.join(" ", preload));
        q.replaceAll((k, v) -> ShellQuote.quote(v));

        Map<String, Object> m = new HashMap<>();
        m.put("machine", node.name());
        m.put("cluster", node.cluster().name());
        m.put("q", q);
        m.put("limits", Map.of(
                "timeSync", limits.timeSync(), "fetchConfig", limits.fetchConfig(), "installOs", limits.installOs(),
                "bundle", limits.bundle(), "finalize", limits.finalizeInstall()));
        return templates.render("config/install.sh", m);
    }
}
