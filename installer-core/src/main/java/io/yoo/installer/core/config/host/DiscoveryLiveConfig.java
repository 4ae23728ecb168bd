package io.yoo.installer.core.config.host;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.config.model.ConfigInputs;
import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.UnitSpec;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.template.Templates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live system of a machine in no descriptor when {@code server.discovery} is on: the
 * {@code yoo-discover} script (collects the inventory, POSTs it with the enrollment token, polls
 * until enrolled, then reboots into the install) and its unit, plus the operators' SSH keys.
 * Like {@link ProfileLiveConfig} it carries no cluster secret: only the token, which is bound to
 * the machine's MAC and lets it do nothing but report and ask.
 */
public final class DiscoveryLiveConfig {
    /** How often a waiting machine asks whether it was enrolled. */
    public static final Duration POLL = Duration.ofSeconds(15);
    /** How long it waits at most before it powers off (an operator who forgot it for days). */
    public static final Duration MAX_WAIT = Duration.ofDays(3);

    private final Templates templates;

    public DiscoveryLiveConfig(Templates templates) {
        this.templates = templates;
    }

    /** @param token an enrollment token for {@code mac} (checked for shape: it goes into the script) */
    public HostConfig build(ClusterDescriptor cluster, MacAddress mac, String token, BootUrls urls) {
        Map<String, Object> m = model(cluster, mac, token, urls);
        List<FileSpec> files = List.of(new FileSpec("/opt/yoo/bin/yoo-discover", 0755, templates.render("config/files/discover.sh", m)));
        List<UnitSpec> units = new ArrayList<>();
        units.add(new UnitSpec("yoo-discover.service", Optional.of(templates.render("config/units/yoo-discover.service", m)), true, true,
                List.of()));
        if (cluster.os().autologin()) {
            List<UnitSpec.Dropin> autologin = List.of(new UnitSpec.Dropin("10-yoo-autologin.conf", templates.render("config/units/autologin.conf", m)));
            units.add(new UnitSpec("getty@tty1.service", Optional.empty(), false, false, autologin));
            units.add(new UnitSpec("serial-getty@ttyS0.service", Optional.empty(), false, false, autologin));
        }
        List<String> keys = cluster.sshKeys();
        for (int i = 0; i < keys.size(); i++) {
            ConfigInputs.sshKey("sshKeys[" + i + "]", keys.get(i));
        }
        return new HostConfig("yoo-discover-" + mac.toHex(), keys, files, units, Optional.empty(), Optional.empty());
    }

    /**
     * The {@code yoo-discover} script alone: what the live config installs, and what the e2e test
     * OS (no Ignition) downloads through {@code yoo.script=}.
     */
    public String script(ClusterDescriptor cluster, MacAddress mac, String token, BootUrls urls) {
        return templates.render("config/files/discover.sh", model(cluster, mac, token, urls));
    }

    private static Map<String, Object> model(ClusterDescriptor cluster, MacAddress mac, String token, BootUrls urls) {
        ConfigInputs.name("name", cluster.name());
        ConfigInputs.url("server URL", urls.base());
        if (!EnrollmentTokens.SHAPE.matcher(token).matches()) {
            throw new IllegalArgumentException("not an enrollment token");
        }
        return Map.of(
                "cluster", cluster.name(),
                "reportUrl", urls.discoveredReport(),
                "statusBase", urls.discoveryBase(mac.toDashed()),
                "bootMac", mac.toString(),
                "token", token,
                "pollSeconds", POLL.toSeconds(),
                "maxWaitSeconds", MAX_WAIT.toSeconds());
    }
}
