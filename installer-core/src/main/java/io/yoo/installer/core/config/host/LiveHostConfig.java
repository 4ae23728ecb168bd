package io.yoo.installer.core.config.host;

import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.config.model.UnitSpec;
import io.yoo.installer.core.template.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live (PXE-stage) system: SSH keys so an operator can look in, a password-less console
 * when {@code autologin} is on, and {@code yoo-install.service}, which downloads this machine's
 * install script and runs it.
 */
public final class LiveHostConfig {
    private final Templates templates;

    public LiveHostConfig(Templates templates) {
        this.templates = templates;
    }

    public HostConfig build(NodeContext node) {
        Map<String, Object> m = Map.of(
                "cluster", node.cluster().name(),
                "installScript", node.urls().installScript(node.name(), node.token()));
        List<FileSpec> files = List.of(
                new FileSpec("/opt/yoo/bin/run-install", 0755, templates.render("config/files/run-install.sh", m)));
        List<UnitSpec> units = new ArrayList<>();
        units.add(new UnitSpec("yoo-install.service", Optional.of(templates.render("config/units/yoo-install.service", m)),
                true, true, List.of()));
        if (node.autologin()) {
            List<UnitSpec.Dropin> autologin = List.of(new UnitSpec.Dropin("10-yoo-autologin.conf",
                    templates.render("config/units/autologin.conf", m)));
            units.add(new UnitSpec("getty@tty1.service", Optional.empty(), false, false, autologin));
            units.add(new UnitSpec("serial-getty@ttyS0.service", Optional.empty(), false, false, autologin));
        }
        return new HostConfig(node.name(), node.sshKeys(), files, units, Optional.empty(), Optional.empty());
    }
}
