package io.yoo.installer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.host.InstalledHostConfig;
import io.yoo.installer.core.config.host.LiveHostConfig;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.config.model.UnitSpec;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every unit and drop-in Yoo writes goes through systemd's own parser ({@code systemd-analyze
 * verify}). Complaints about the host (a binary that exists only on Flatcar, targets missing
 * in a container) are not syntax and are ignored; unknown keys, unparsable values and refused
 * units are failures.
 */
class SystemdUnitSyntaxTest {
    static final Pattern SYNTAX = Pattern.compile(
            "Unknown key|Unknown section|Failed to parse|bad unit file setting|Missing '='|Invalid section header|Refusing|assignment outside of section",
            Pattern.CASE_INSENSITIVE);
    static final String STUB = "[Unit]\nDescription=stand-in for a unit the OS ships\n[Service]\nExecStart=/bin/true\n";

    @TempDir
    Path dir;

    @Test
    void everyUnitAndDropInParses() throws Exception {
        Peers.requireCommands("systemd-analyze");
        ClusterSecrets secrets = new SecretsGenerator().generate();
        Templates t = Templates.builtIn();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        Set<UnitSpec> seen = new HashSet<>();
        for (ClusterDescriptor c : List.of(
                ConfigFixtures.cluster(Architecture.PRODUCTION, ConfigDialect.IGNITION, "/dev/sda", dir),
                ConfigFixtures.cluster(Architecture.SMALL, ConfigDialect.IGNITION, "/dev/sda", dir))) {
            for (Machine m : c.machines()) {
                NodeContext node = new NodeContext(c, m, new BootUrls("http://10.12.0.1:8080"),
                        new MachineTokens(MachineTokens.newSecret()).tokenFor(m.name()), secrets);
                for (HostConfig h : List.of(new LiveHostConfig(t).build(node), new InstalledHostConfig(t).build(node))) {
                    for (UnitSpec u : h.units()) {
                        if (seen.add(u)) { // machines share most units: parse each distinct one once
                            problems.addAll(verify(u));
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(12);
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckItselfCatchesABrokenUnit() throws Exception {
        Peers.requireCommands("systemd-analyze");
        UnitSpec bad = UnitSpec.of("broken.service", "[Unit]\nDescription=x\n[Service]\nExecStartt=/bin/true\nType=bogus\n", true);
        assertThat(verify(bad)).isNotEmpty();
        UnitSpec badDropin = new UnitSpec("ok.service", Optional.of(STUB), false, false,
                List.of(new UnitSpec.Dropin("10-x.conf", "[Service]\nEnviroment=A=1\n")));
        assertThat(verify(badDropin)).anyMatch(s -> s.contains("Enviroment"));
    }

    private List<String> verify(UnitSpec u) throws IOException, InterruptedException {
        Path d = Files.createTempDirectory(dir, "unit");
        Path unit = d.resolve(u.name());
        Files.writeString(unit, u.content().orElse(STUB));
        if (!u.dropins().isEmpty()) {
            Path dd = Files.createDirectories(d.resolve(u.name() + ".d"));
            for (UnitSpec.Dropin x : u.dropins()) {
                Files.writeString(dd.resolve(x.name()), x.content());
            }
        }
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> SYNTAX.matcher(l).find()).map(l -> u.name() + ": " + l).toList();
    }
}
