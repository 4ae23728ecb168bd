package io.yoo.installer.core.config.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.UnitSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudConfigRulesTest {
    static final String GOOD = """
            #cloud-config
            hostname: core-1
            ssh_authorized_keys:
            - ssh-ed25519 AAAA ops
            write_files:
            - path: /etc/motd
              permissions: '0644'
              owner: root
              content: |
                hello
            coreos:
              update:
                group: stable
                reboot_strategy: 'off'
              units:
              - name: 00-eth.network
                content: |
                  [Match]
                  MACAddress=52:54:00:00:00:01
              - name: app.service
                enable: true
                command: start
                content: |
                  [Service]
                  ExecStart=/bin/true
                drop_ins:
                - name: 10-env.conf
                  content: |
                    [Service]
                    Environment=A=1
            """;

    @Test
    void aCompleteConfigHasNoProblems() {
        assertThat(CloudConfigRules.problems(GOOD)).isEmpty();
    }

    @Test
    void whatTheWriterProducesIsAccepted() {
        var host = new HostConfig("n1", List.of("ssh-ed25519 AAAA x"),
                List.of(new FileSpec("/etc/a", 0600, "line 1\nline 2\n"),
                        new FileSpec("/etc/b", 0644, "trailing space \nx")),
                List.of(UnitSpec.of("a.service", "[Service]\nExecStart=/bin/true\n", true)),
                Optional.empty(), Optional.of(new HostConfig.UpdatePolicy("beta", "reboot")));
        String text = new CloudConfigWriter().write(host);
        assertThat(CloudConfigRules.problems(text)).as(text).isEmpty();
        assertThat(text).contains("permissions: '0600'").contains("trailing space ");
    }

    @Test
    void retiredEtcdAndFleetSectionsAreRejectedAtTopLevelAndUnderCoreos() {
        String text = """
                #cloud-config
                etcd2:
                  discovery: https://discovery.etcd.io/x
                coreos:
                  fleet:
                    metadata: role=worker
                  etcd:
                    addr: 1.2.3.4:4001
                """;
        assertThat(CloudConfigRules.problems(text))
                .anyMatch(p -> p.startsWith("etcd2: retired"))
                .anyMatch(p -> p.startsWith("coreos.fleet: retired"))
                .anyMatch(p -> p.startsWith("coreos.etcd: retired"))
                .hasSize(3);
    }

    @Test
    void wrongTypesAndValuesAreNamedByTheirPath() {
        String text = """
                #cloud-config
                hostname: [a, b]
                write_files:
                - path: relative/file
                  permissions: 0644
                  encoding: rot13
                coreos:
                  update:
                    reboot_strategy: sometimes
                  units:
                  - name: app.service
                    enable: "yes"
                    command: launch
                    drop_ins:
                    - name: override
                  - content: no name
                """;
        List<String> p = CloudConfigRules.problems(text);
        assertThat(p).anyMatch(s -> s.startsWith("hostname: must be a string"))
                .anyMatch(s -> s.startsWith("write_files[0].path: required absolute path"))
                .anyMatch(s -> s.startsWith("write_files[0].permissions: must be a quoted octal string"))
                .anyMatch(s -> s.startsWith("write_files[0].encoding:"))
                .anyMatch(s -> s.startsWith("coreos.update.reboot_strategy: 'sometimes' is not one of"))
                .anyMatch(s -> s.startsWith("coreos.units[0].enable: must be true or false"))
                .anyMatch(s -> s.startsWith("coreos.units[0].command: 'launch' is not one of"))
                .anyMatch(s -> s.startsWith("coreos.units[0].drop_ins[0].name: required, must end with .conf"))
                .anyMatch(s -> s.startsWith("coreos.units[1].name: required string"));
    }

    @Test
    void headerUnknownKeysAndBrokenYamlAreProblems() {
        assertThat(CloudConfigRules.problems("hostname: a\n")).anyMatch(s -> s.startsWith("line 1: must be '#cloud-config'"));
        assertThat(CloudConfigRules.problems("#cloud-config\nhostnme: a\n")).anyMatch(s -> s.startsWith("hostnme: unknown key"));
        assertThat(CloudConfigRules.problems("#cloud-config\ncoreos: {units: [{name: a.service, contnet: x}]}\n"))
                .anyMatch(s -> s.startsWith("coreos.units[0].contnet: unknown key"));
        assertThat(CloudConfigRules.problems("#cloud-config\nhostname: [unclosed\n")).anyMatch(s -> s.startsWith("not valid YAML"));
        assertThat(CloudConfigRules.problems("#cloud-config\n- a list\n")).containsExactly("top level: must be a mapping");
    }
}
