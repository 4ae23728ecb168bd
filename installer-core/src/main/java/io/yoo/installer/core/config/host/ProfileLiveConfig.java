package io.yoo.installer.core.config.host;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.config.model.ConfigInputs;
import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.UnitSpec;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.render.MenuProfile;
import io.yoo.installer.core.template.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live system of a boot-menu entry, for a machine that is not in the descriptor
 * ({@code server.allowUnknown}). Such a machine has no name, no address and no token, and
 * anyone on the install network can boot the menu, so this config carries nothing that is not
 * already public: the operators' SSH public keys, a password-less console for the production
 * entries (as in the original tool), and a unit that reports the machine's MAC and address to
 * the server. It installs nothing: installing needs the machine's identity and the cluster's
 * join secrets, which only machines listed in the descriptor get (through their token).
 */
public final class ProfileLiveConfig {
    private final Templates templates;

    public ProfileLiveConfig(Templates templates) {
        this.templates = templates;
    }

    /**
     * @param urls          the server's URLs on the family the machine asked over
     * @param serverAddress the server's address on that family (the report finds its interface by the route to it)
     */
    public HostConfig build(ClusterDescriptor cluster, MenuProfile profile, BootUrls urls, String serverAddress) {
        ConfigInputs.name("name", cluster.name());
        ConfigInputs.url("server URL", urls.base());
        Map<String, Object> m = Map.of(
                "cluster", cluster.name(),
                "profile", profile.profile(),
                "reportUrl", urls.profileReport(profile.profile()),
                "serverAddress", serverAddress);
        List<FileSpec> files = List.of(new FileSpec("/opt/yoo/bin/report-menu-boot", 0755,
                templates.render("config/files/report-menu-boot.sh", m)));
        List<UnitSpec> units = new ArrayList<>();
        units.add(new UnitSpec("yoo-report-menu-boot.service",
                Optional.of(templates.render("config/units/yoo-report-menu-boot.service", m)), true, true, List.of()));
        if (profile.autologin() || cluster.os().autologin()) {
            List<UnitSpec.Dropin> autologin = List.of(new UnitSpec.Dropin("10-yoo-autologin.conf",
                    templates.render("config/units/autologin.conf", m)));
            units.add(new UnitSpec("getty@tty1.service", Optional.empty(), false, false, autologin));
            units.add(new UnitSpec("serial-getty@ttyS0.service", Optional.empty(), false, false, autologin));
        }
        List<String> keys = cluster.sshKeys();
        for (int i = 0; i < keys.size(); i++) {
            ConfigInputs.sshKey("sshKeys[" + i + "]", keys.get(i));
        }
        return new HostConfig("yoo-" + profile.profile(), keys, files, units, Optional.empty(), Optional.empty());
    }
}
