package io.yoo.installer.core.config.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.ClusterConfigArtifacts;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.template.Templates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JoinTokensTest {
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final Instant WINDOW_START = Instant.ofEpochSecond(JoinTokens.window(Instant.parse("2026-12-04T13:00:00Z")) * 43_200);
    static ClusterSecrets secrets;
    static ClusterDescriptor production;

    @BeforeAll
    static void setUp() throws Exception {
        secrets = new SecretsGenerator().generate();
        production = DescriptorLoader.loadExample("production");
    }

    static ClusterConfigArtifacts at(Instant t) {
        return new ClusterConfigArtifacts(production, new BootUrls("http://10.12.0.2:8080"), TOKENS, () -> secrets, Templates.builtIn(),
                StepLimits.DEFAULT, Clock.fixed(t, ZoneOffset.UTC));
    }

    static String token(Instant t, String machine) {
        return at(t).render(machine, ArtifactKind.JOIN_TOKEN).orElseThrow().text().strip();
    }

    static List<String> list(Instant t, String machine) {
        return at(t).render(machine, ArtifactKind.JOIN_TOKENS).orElseThrow().text().lines().toList();
    }

    @Test
    void a_machine_has_one_token_per_twelve_hour_window_in_kubeadms_format() {
        String w = token(WINDOW_START, "worker-3-1");
        assertThat(w).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(token(WINDOW_START.plus(Duration.ofHours(12)).minusSeconds(1), "worker-3-1")).isEqualTo(w);
        assertThat(token(WINDOW_START.plus(Duration.ofHours(12)), "worker-3-1")).isNotEqualTo(w);
        assertThat(token(WINDOW_START, "worker-3-2")).isNotEqualTo(w);
        assertThat(token(WINDOW_START, "worker-3-1")).isNotEqualTo(secrets.bootstrapToken());
        // another cluster's secrets, another token
        ClusterSecrets other = new SecretsGenerator().generate();
        String elsewhere = new ClusterConfigArtifacts(production, new BootUrls("http://10.12.0.2:8080"), TOKENS, () -> other,
                Templates.builtIn(), StepLimits.DEFAULT, Clock.fixed(WINDOW_START, ZoneOffset.UTC))
                .render("worker-3-1", ArtifactKind.JOIN_TOKEN).orElseThrow().text().strip();
        assertThat(elsewhere).isNotEqualTo(w);
    }

    @Test
    void the_control_plane_list_holds_every_joiners_current_and_previous_token_each_expiring_within_24_hours() {
        Instant lastSecond = WINDOW_START.plus(Duration.ofHours(12)).minusSeconds(1);
        List<String> lines = list(lastSecond, "central-2");
        int joiners = production.machines().size() - 1;
        assertThat(lines).hasSize(2 * joiners);
        for (String line : lines) {
            assertThat(line).matches("[a-z0-9]{6}\\.[a-z0-9]{16} [0-9]+");
            long ttl = Long.parseLong(line.split(" ")[1]);
            assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(24).toSeconds());
        }
        // a token fetched at the last second of its window is created with 12 more hours to live
        String fetched = token(lastSecond, "worker-3-1");
        assertThat(lines).contains(fetched + " " + (Duration.ofHours(12).toSeconds() + 1));
        // ... and is still listed (as the previous window's) after the window turns
        assertThat(list(lastSecond.plusSeconds(2), "central-3")).anyMatch(l -> l.startsWith(fetched + " "));
        // the init node needs none
        String init = production.firstControlPlane().name();
        assertThat(at(lastSecond).render(init, ArtifactKind.JOIN_TOKEN)).isEmpty();
    }

    @Test
    void workers_get_their_own_token_only_and_never_the_list() {
        assertThat(at(WINDOW_START).render("worker-3-1", ArtifactKind.JOIN_TOKENS)).isEmpty();
        assertThat(at(WINDOW_START).render("worker-3-1", ArtifactKind.JOIN_TOKEN)).isPresent();
        assertThat(at(WINDOW_START).render("central-1", ArtifactKind.JOIN_TOKENS)).isPresent();
    }

    @Test
    void the_join_config_carries_the_token_the_server_hands_out_at_that_time() {
        String kubeadm = at(WINDOW_START).render("worker-3-1", ArtifactKind.KUBEADM).orElseThrow().text();
        assertThat(kubeadm).contains("token: \"" + token(WINDOW_START, "worker-3-1") + "\"").doesNotContain(secrets.bootstrapToken());
    }
}
