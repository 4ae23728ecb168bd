package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the yoo command in-process, as a user would, and checks output and exit codes. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run yoo(String... args) {
        CommandLine cl = Yoo.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path small() throws IOException {
        Path f = tmp.resolve("cluster.yml");
        Files.writeString(f, DescriptorLoader.exampleText("small"));
        return f;
    }

    @Test
    void validate_accepts_a_good_descriptor_with_exit_0() throws IOException {
        Run r = yoo("validate", small().toString());
        assertThat(r.code()).isEqualTo(Yoo.EXIT_OK);
        assertThat(r.out()).isEqualTo(small() + ": OK, cluster lab (small): 3 machines, 3 control-plane, 0 workers\n");
    }

    @Test
    void validate_lists_every_mistake_with_file_line_column_and_exits_1() throws IOException {
        Path f = tmp.resolve("broken.yml");
        Files.writeString(f, """
                cluster: lab
                architecture: small
                network: { interface: eth1, server: 10.12.0.2, subnet: 10.12.0.0/16, gatway: 10.12.0.1 }
                machines:
                  - { name: node-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
                  - { name: node-2, mac: "52:54:00:12:01:01", ip: 10.99.1.2 }
                """);

        Run r = yoo("validate", f.toString());

        assertThat(r.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                f + ":3:70: network.gatway: unknown key 'gatway' in network; did you mean 'gateway'?",
                f + ":5:3: machines: a small cluster needs an odd number of control-plane machines between 3 and 9"
                        + " (etcd quorum), found 2 (node-1, node-2)",
                f + ":6:26: machines[1].mac: duplicate MAC 52:54:00:12:01:01: already used by machines[0] (node-1)",
                f + ":6:51: machines[1].ip: 10.99.1.2 is outside the install subnet 10.12.0.0/16",
                "4 errors in " + f);
    }

    @Test
    void validate_reports_a_missing_file_as_invalid_input() {
        Run r = yoo("validate", tmp.resolve("nope.yml").toString());
        assertThat(r.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(r.err()).startsWith(tmp.resolve("nope.yml") + ": cannot read the descriptor: no such file\n");
    }

    @Test
    void validate_runs_on_an_embedded_example() {
        Run r = yoo("validate", "--example", "production");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("cluster prod (production): 9 machines, 3 control-plane, 6 workers");
    }

    @Test
    void usage_errors_exit_2() {
        assertThat(yoo("validate").code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(yoo("validate", "--bogus", "x").code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(yoo("render", "--example", "small", "--kind", "pizza", "--machine", "node-1").code()).isEqualTo(Yoo.EXIT_USAGE);
        Run missing = yoo("render", "--example", "small", "--machine", "node-1");
        assertThat(missing.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(missing.err()).contains("give --machine NAME and --kind KIND");
        assertThat(yoo("init").code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(yoo("init", "--architecture", "huge").code()).isEqualTo(Yoo.EXIT_USAGE);
    }

    @Test
    void render_prints_one_artifact_with_the_state_directorys_tokens() throws IOException {
        Path f = small();
        MachineTokens tokens = TokenSecretFile.loadOrCreate(tmp.resolve(".yoo"));
        new SecretsStore(tmp.resolve(".yoo"))
                .loadOrCreate(new SecretsGenerator());

        Run r = yoo("render", f.toString(), "--machine", "node-2", "--kind", "ipxe");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("#!ipxe\n")
                .contains("ignition.config.url=http://10.12.0.2:8080/m/node-2/" + tokens.tokenFor("node-2") + "/live-config");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void render_without_a_state_directory_says_its_tokens_are_throw_away_and_creates_nothing() throws IOException {
        Run r = yoo("render", small().toString(), "--machine", "node-1", "--kind", "pxelinux");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("tokens in these URLs are throw-away");
        assertThat(tmp.resolve(".yoo")).doesNotExist();
    }

    @Test
    void render_out_writes_every_machine_and_the_shared_files() throws IOException {
        Path out = tmp.resolve("render");
        Run r = yoo("render", small().toString(), "--out", out.toString());

        assertThat(r.code()).isZero();
        List<String> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
        assertThat(files.stream().filter(n -> !n.startsWith("configs/")).toList()).containsExactly("boot.ipxe", "grub/grub.cfg",
                "grub/grub.cfg-01-52-54-00-12-01-01", "grub/grub.cfg-01-52-54-00-12-01-02", "grub/grub.cfg-01-52-54-00-12-01-03",
                "ipxe/node-1.ipxe", "ipxe/node-2.ipxe", "ipxe/node-3.ipxe",
                "pxelinux.cfg/01-52-54-00-12-01-01", "pxelinux.cfg/01-52-54-00-12-01-02", "pxelinux.cfg/01-52-54-00-12-01-03",
                "pxelinux.cfg/default");
        // live config, installed config, install script and kubeadm file for each of the three machines
        for (String m : List.of("node-1", "node-2", "node-3")) {
            assertThat(files.stream().filter(n -> n.startsWith("configs/" + m + "/"))).hasSize(4);
        }
        assertThat(r.out().lines().count()).isEqualTo(files.size());
        assertThat(Files.readString(out.resolve("ipxe/node-3.ipxe"))).contains("yoo.id=node-3");
    }

    @Test
    void render_out_narrowed_to_one_kind() {
        Path out = tmp.resolve("r");
        Run r = yoo("render", "--example", "devtest", "--kind", "grub", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).hasSize(4).allMatch(l -> l.startsWith(out + "/grub/grub.cfg-"));
    }

    @Test
    void render_unknown_machine_names_the_ones_that_exist() {
        Run r = yoo("render", "--example", "small", "--machine", "node-9", "--kind", "ipxe");
        assertThat(r.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(r.err()).contains("no machine 'node-9' in <embedded>/small.yml; machines: node-1, node-2, node-3");
    }

    @Test
    void render_a_tftp_path() {
        // devtest has allowUnknown: the menu; small has not: the entry that boots the next device
        Run r = yoo("render", "--example", "devtest", "--path", "pxelinux.cfg/default");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("LABEL production-worker");
        assertThat(yoo("render", "--example", "small", "--path", "pxelinux.cfg/default").out()).contains("LOCALBOOT -1");
        assertThat(yoo("render", "--example", "small", "--path", "pxelinux.cfg/nothing").code()).isEqualTo(Yoo.EXIT_INVALID);
    }

    @Test
    void render_uses_a_template_override_directory() throws IOException {
        Path t = tmp.resolve("tpl/ipxe");
        Files.createDirectories(t);
        Files.writeString(t.resolve("machine.ipxe.mustache"), "#!ipxe\necho hello {{machine.name}} at {{machine.ip}}\n");
        Run r = yoo("render", "--example", "small", "--machine", "node-1", "--kind", "ipxe", "--templates", tmp.resolve("tpl").toString());
        assertThat(r.out()).isEqualTo("#!ipxe\necho hello node-1 at 10.12.1.1\n");
    }

    @Test
    void init_writes_a_commented_example_that_validates_and_refuses_to_overwrite() throws IOException {
        Path f = tmp.resolve("new/cluster.yml");
        Run r = yoo("init", "--architecture", "production", "--out", f.toString());
        assertThat(r.code()).isZero();
        assertThat(Files.readString(f)).startsWith("# Yoo Installer cluster descriptor").contains("architecture: production");
        assertThat(yoo("validate", f.toString()).code()).isZero();

        Run again = yoo("init", "--architecture", "small", "--out", f.toString());
        assertThat(again.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(again.err()).contains("exists; use --force");
        assertThat(yoo("init", "-a", "small", "-o", f.toString(), "--force").code()).isZero();
        assertThat(Files.readString(f)).contains("architecture: small");
    }

    @Test
    void init_prints_to_stdout_without_out() {
        Run r = yoo("init", "--architecture", "dev");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(DescriptorLoader.exampleText("dev"));
    }

    @Test
    void every_command_has_help_and_the_root_has_version() {
        for (String cmd : List.of("validate", "render", "init", "generate-completion")) {
            Run r = yoo(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: yoo " + cmd);
        }
        Run v = yoo("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("yoo ");
        assertThat(yoo("--help").out()).contains("validate", "render", "init", "Exit codes:");
    }

    @Test
    void completion_script_knows_the_new_commands() {
        Run r = yoo("generate-completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("validate", "render", "init");
    }
}
