package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.config.ClusterConfigArtifacts;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.CompositeArtifacts;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.template.Templates;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * server.allowUnknown over HTTP with installer-core's real renderers: the boot menu is served to
 * machines not in the descriptor, and every URL in it (in its iPXE, PXELINUX and GRUB forms)
 * answers 200 with what it promises; with the option off, none of it is served.
 */
class UnknownMachineMenuHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] KERNEL = "not really a kernel\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
    static final byte[] INITRD = "not really an initrd\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
    /** A stranger's files must never need the cluster secrets. */
    static final Supplier<ClusterSecrets> NO_SECRETS = () -> {
        throw new AssertionError("a stranger's file asked for the cluster secrets");
    };

    @TempDir
    Path dir;
    TestServer s;
    BootMenuRenderer menus;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    void start(boolean allowUnknown) throws Exception {
        SwitchableArtifacts artifacts = new SwitchableArtifacts((m, k) -> Optional.empty());
        Function<HttpServices, HttpServices> real = x -> new HttpServices(artifacts, x.tokens(), x.store(), x.machines(),
                x.assetGate(), x.sightings(), x.metrics(), x.leases(), x.foreignDhcp());
        s = new TestServer(dir, Function.identity(), real, TestServer.MACHINES);
        Files.createDirectories(s.assetDir.resolve("testos"));
        Files.write(s.assetDir.resolve("testos/vmlinuz"), KERNEL);
        Files.write(s.assetDir.resolve("testos/initrd.gz"), INITRD);
        ClusterDescriptor d = descriptor(allowUnknown, s.server.port());
        BootUrls urls = new BootUrls(s.base());
        Templates templates = Templates.builtIn();
        menus = new BootMenuRenderer(d, urls, s.tokens, templates);
        MachineArtifacts all = CompositeArtifacts.of(menus,
                new ClusterConfigArtifacts(d, urls, s.tokens, NO_SECRETS, templates, StepLimits.DEFAULT));
        artifacts.switchTo(all);
    }

    static ClusterDescriptor descriptor(boolean allowUnknown, int port) {
        String yaml = """
                cluster: lab
                architecture: dev
                network: { interface: lo, server: 127.0.0.1, subnet: 127.0.0.0/8, dhcp: off }
                server: { httpPort: %d, allowUnknown: %s }
                os: { version: 4081.2.0, kernel: testos/vmlinuz, initrd: testos/initrd.gz }
                sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab"]
                machines:
                  - { name: node-a, mac: "52:54:00:00:00:0a", ip: 127.0.0.2 }
                """.formatted(port, allowUnknown);
        try {
            return DescriptorLoader.parse(yaml, Path.of("test.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    HttpResponse<byte[]> getBytes(String url) throws Exception {
        return s.client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return s.client.send(HttpRequest.newBuilder(URI.create(s.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every URL in a menu; GRUB's {@code (http,host:port)/path} becomes {@code http://host:port/path}. */
    static Set<String> urls(String menu) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("http://[^\\s']+|\\(http,([^)]+)\\)(/[^\\s']+)").matcher(menu);
        while (m.find()) {
            out.add(m.group(1) != null ? "http://" + m.group(1) + m.group(2) : m.group());
        }
        return out;
    }

    @Test
    void strangersGetTheMenuAndEveryUrlInItAnswersWithWhatItPromises() throws Exception {
        start(true);
        HttpResponse<String> menu = s.get("/boot/menu.ipxe");
        assertThat(menu.statusCode()).isEqualTo(200);
        assertThat(menu.body()).isEqualTo(menus.ipxeMenu().orElseThrow().text()).startsWith("#!ipxe\n").contains("\nchoose ");
        // the chain script's by-MAC request of a MAC in no descriptor gets the same menu
        HttpResponse<String> byMac = s.get("/boot/by-mac/52:54:00:00:00:42.ipxe?uuid=x&arch=x86_64");
        assertThat(byMac.statusCode()).isEqualTo(200);
        assertThat(byMac.body()).isEqualTo(menu.body());
        // a listed machine still gets its own script, not the menu
        assertThat(s.get("/boot/by-mac/52:54:00:00:00:0a.ipxe").body()).contains("node-a").doesNotContain("choose");

        List<String> menusAsServed = List.of(menu.body(), menus.pxelinuxMenu().text(), menus.grubMain().text());
        Set<String> all = new LinkedHashSet<>();
        menusAsServed.forEach(m -> all.addAll(urls(m)));
        List<String> checked = new ArrayList<>();
        for (String url : all) {
            assertThat(url).startsWith(s.base() + "/");
            String path = url.substring(s.base().length());
            if (path.endsWith("/report")) {
                HttpResponse<String> r = post(path, "{\"event\":\"installed\",\"id\":\"\",\"mac\":\"52:54:00:00:00:42\",\"ip\":\"127.0.0.1\"}");
                assertThat(r.statusCode()).as(url).isEqualTo(200);
            } else if (path.endsWith("/live-config")) {
                HttpResponse<byte[]> r = getBytes(url);
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
                JsonNode ign = JSON.readTree(r.body());
                assertThat(ign.at("/ignition/version").asText()).isEqualTo("3.4.0");
                String profile = path.split("/")[2];
                String text = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(text).contains("yoo-report-menu-boot.service").contains("ops@lab")
                        .doesNotContain(s.tokens.tokenFor("node-a")).doesNotContain("/m/");
                // the report URL inside (base64 in the file) is the one the menu promises
                String script = null;
                for (JsonNode f : ign.at("/storage/files")) {
                    if (f.get("path").asText().equals("/opt/yoo/bin/report-menu-boot")) {
                        String src = f.at("/contents/source").asText();
                        script = new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
                    }
                }
                assertThat(script).contains("URL='" + s.base() + "/profiles/" + profile + "/report'");
            } else {
                HttpResponse<byte[]> r = getBytes(url);
                assertThat(r.statusCode()).as(url).isEqualTo(200);
                assertThat(r.body()).as(url).isEqualTo(path.endsWith("vmlinuz") ? KERNEL : INITRD);
            }
            checked.add(path);
        }
        // 6 profiles × (live config + report) + kernel + initrd, each reached from all three menu forms
        assertThat(checked).hasSize(6 * 2 + 2);
        for (String m : menusAsServed) {
            assertThat(urls(m)).as("every form of the menu names the same URLs").containsExactlyInAnyOrderElementsOf(all);
        }
    }

    @Test
    void reportsAreBoundedAndChecked() throws Exception {
        start(true);
        assertThat(post("/profiles/production-worker/report", "{}").statusCode()).isEqualTo(200);
        assertThat(post("/profiles/production-worker/report", "{\"mac\":\"not-a-mac\"}").statusCode()).isEqualTo(400);
        assertThat(post("/profiles/production-worker/report", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/profiles/production-worker/report", "[1]").statusCode()).isEqualTo(400);
        assertThat(post("/profiles/production-worker/report", "{\"x\":\"" + "a".repeat(5000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(post("/profiles/no-such-profile/report", "{}").statusCode()).isEqualTo(404);
        assertThat(s.get("/profiles/no-such-profile/live-config").statusCode()).isEqualTo(404);
        assertThat(s.get("/profiles/production-worker/report").statusCode()).isEqualTo(405);
        assertThat(s.get("/profiles/production-worker/../../m/node-a/x/live-config").statusCode()).isIn(400, 403, 404);
    }

    @Test
    void withAllowUnknownOffNothingForStrangersIsServed() throws Exception {
        start(false);
        assertThat(s.get("/boot/menu.ipxe").statusCode()).isEqualTo(404);
        assertThat(s.get("/boot/by-mac/52:54:00:00:00:42.ipxe").statusCode()).isEqualTo(404);
        assertThat(s.get("/profiles/production-worker/live-config").statusCode()).isEqualTo(404);
        assertThat(post("/profiles/production-worker/report", "{}").statusCode()).isEqualTo(404);
        assertThat(urls(menus.pxelinuxMenu().text())).isEmpty();
        assertThat(urls(menus.grubMain().text())).isEmpty();
    }
}
