package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptorLoaderTest {
    static final Path BASE = Path.of("/srv/cluster");

    static final String THREE_MACHINES = """
            cluster: lab
            architecture: small
            network:
              interface: eth1
              server: 10.12.0.2
              subnet: 10.12.0.0/16
            machines:
              - { name: node-1, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
              - { name: node-2, mac: "52-54-00-12-01-02", ip: 10.12.1.2 }
              - { name: node-3, uuid: 4A1F3C2E-7B77-4E2A-9C1D-000000000103, ip: 10.12.1.3 }
            """;

    static ClusterDescriptor parse(String yaml) throws DescriptorException {
        return DescriptorLoader.parse(yaml, Path.of("cluster.yml"), BASE);
    }

    @Test
    void a_minimal_descriptor_gets_the_documented_defaults() throws Exception {
        ClusterDescriptor d = parse(THREE_MACHINES);

        assertThat(d.name()).isEqualTo("lab");
        assertThat(d.architecture()).isEqualTo(Architecture.SMALL);
        InstallNetwork n = d.network();
        assertThat(n.dhcpMode()).isEqualTo(DhcpMode.FULL);
        assertThat(n.leaseSeconds()).isEqualTo(3600);
        assertThat(n.domain()).isEqualTo("internal");
        assertThat(n.gateway()).isEmpty();
        assertThat(n.pool()).isEmpty();
        assertThat(d.server().httpPort()).isEqualTo(8080);
        assertThat(d.server().stateDir()).isEqualTo(BASE.resolve(".yoo"));
        assertThat(d.server().assetDir()).isEqualTo(BASE.resolve("assets"));
        assertThat(d.server().allowUnknown()).isFalse();
        assertThat(d.os().channel()).isEqualTo("stable");
        assertThat(d.os().version()).isEqualTo("current");
        assertThat(d.os().dialect()).isEqualTo(ConfigDialect.IGNITION);
        assertThat(d.os().installDisk()).isEqualTo("/dev/sda");
        assertThat(d.os().autologin()).isFalse();
        assertThat(d.kubernetes().podCidr()).hasToString("10.244.0.0/16");
        assertThat(d.kubernetes().serviceCidr()).hasToString("10.96.0.0/12");
        assertThat(d.kubernetes().cni()).isEqualTo("flannel");
        assertThat(d.kubernetes().version()).isEqualTo(Defaults.KUBERNETES_VERSION);
        assertThat(d.sshKeys()).isEmpty();
        assertThat(d.proxy()).isEmpty();
        assertThat(d.source()).isEqualTo(Path.of("cluster.yml"));
    }

    @Test
    void machines_keep_their_order_and_identities_in_canonical_form() throws Exception {
        ClusterDescriptor d = parse(THREE_MACHINES);

        assertThat(d.machines()).extracting(Machine::name).containsExactly("node-1", "node-2", "node-3");
        assertThat(d.machines().get(1).macs()).containsExactly(MacAddress.parse("52:54:00:12:01:02"));
        assertThat(d.machines().get(2).macs()).isEmpty();
        assertThat(d.machines().get(2).uuid()).contains(SmbiosUuid.parse("4a1f3c2e-7b77-4e2a-9c1d-000000000103"));
        assertThat(d.machines().get(0).ip()).isEqualTo(Ipv4.parse("10.12.1.1"));
        assertThat(d.machines()).allMatch(m -> m.role() == Role.CONTROL_PLANE);
        assertThat(d.machines().get(0).overrides()).isEqualTo(MachineOverrides.NONE);
    }

    @Test
    void mac_and_macs_combine_in_order_the_first_being_the_boot_nic() throws Exception {
        ClusterDescriptor d = parse(THREE_MACHINES.replace("mac: \"52:54:00:12:01:01\"",
                "mac: \"52:54:00:12:01:01\", macs: [\"52:54:00:12:01:11\", \"5254.0012.0121\"]"));

        assertThat(d.machines().getFirst().macs()).extracting(MacAddress::toString)
                .containsExactly("52:54:00:12:01:01", "52:54:00:12:01:11", "52:54:00:12:01:21");
        assertThat(d.machines().getFirst().primaryMac()).contains(MacAddress.parse("52:54:00:12:01:01"));
    }

    @Test
    void every_section_and_override_is_read() throws Exception {
        ClusterDescriptor d = parse("""
                cluster: prod
                architecture: devtest
                network:
                  interface: bond0
                  server: 10.12.0.2
                  subnet: 10.12.0.0/16
                  gateway: 10.12.0.1
                  dns: 10.12.0.10
                  domain: prod.example.com
                  dhcp: proxy
                  leaseSeconds: 600
                server: { httpPort: 9090, stateDir: /var/lib/yoo, assetDir: ../assets, templates: tpl,
                          database: "jdbc:postgresql://db/yoo", allowUnknown: true }
                os: { channel: beta, version: 4152.1.0, dialect: cloud-config, installDisk: /dev/vda,
                      autologin: true, kernel: test/vmlinuz, initrd: test/initrd.gz, kernelArgs: "quiet loglevel=3" }
                kubernetes: { version: v1.31.4, podCidr: 10.32.0.0/16, serviceCidr: 10.33.0.0/16, cni: none,
                              controlPlaneEndpoint: api.prod.example.com }
                sshKeys: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0 ops@lab
                proxy: http://proxy:3128
                ntp: [ntp.example.com, 10.12.0.1]
                registryMirror: https://mirror.example.com
                preloadImages: [kubernetes/1.31.4/images/pause.tar]
                machines:
                  - name: etcd
                    role: control-plane
                    mac: "52:54:00:12:01:01"
                    ip: 10.12.1.1
                    labels: { cabinet: three, disk: hdd, example.com/rack: "12" }
                    installDisk: /dev/nvme0n1
                    autologin: false
                    dialect: ignition
                    kernelArgs: [nomodeset]
                    bmc: { address: "10.13.0.1:623", protocol: redfish, username: root, passwordEnv: BMC_PW }
                  - { name: w-1, mac: "52:54:00:12:01:02", ip: 10.12.1.2 }
                """);

        assertThat(d.network().dns()).containsExactly(Ipv4.parse("10.12.0.10"));
        assertThat(d.network().dhcpMode()).isEqualTo(DhcpMode.PROXY);
        assertThat(d.network().leaseSeconds()).isEqualTo(600);
        assertThat(d.server().httpPort()).isEqualTo(9090);
        assertThat(d.server().stateDir()).isEqualTo(Path.of("/var/lib/yoo"));
        assertThat(d.server().assetDir()).isEqualTo(Path.of("/srv/assets"));
        assertThat(d.server().templateDir()).contains(BASE.resolve("tpl"));
        assertThat(d.server().databaseUrl()).contains("jdbc:postgresql://db/yoo");
        assertThat(d.os()).isEqualTo(new OsSettings("beta", "4152.1.0", ConfigDialect.CLOUD_CONFIG, "/dev/vda", true,
                Optional.of("test/vmlinuz"), Optional.of("test/initrd.gz"), List.of("quiet", "loglevel=3")));
        assertThat(d.kubernetes().version()).isEqualTo("1.31.4");
        assertThat(d.kubernetes().cni()).isEqualTo("none");
        assertThat(d.kubernetes().controlPlaneEndpoint()).contains("api.prod.example.com");
        assertThat(d.kubernetes().vip()).isEmpty();
        assertThat(d.sshKeys()).hasSize(1);
        assertThat(d.ntp()).containsExactly("ntp.example.com", "10.12.0.1");
        assertThat(d.registryMirror()).contains("https://mirror.example.com");
        assertThat(d.preloadImages()).containsExactly("kubernetes/1.31.4/images/pause.tar");
        Machine etcd = d.machines().getFirst();
        assertThat(etcd.labels()).isEqualTo(Map.of("cabinet", "three", "disk", "hdd", "example.com/rack", "12"));
        assertThat(etcd.overrides()).isEqualTo(new MachineOverrides(Optional.of("/dev/nvme0n1"), Optional.of(false),
                Optional.of(ConfigDialect.IGNITION), List.of("nomodeset")));
        assertThat(etcd.bmc()).contains(new BmcSettings("10.13.0.1:623", "redfish", "root", Optional.empty(), Optional.of("BMC_PW")));
        assertThat(d.machines().get(1).role()).as("devtest machines are workers unless marked").isEqualTo(Role.WORKER);
        assertThat(d.controlPlane()).extracting(Machine::name).containsExactly("etcd");
    }

    @Test
    void dev_machines_default_to_control_plane() throws Exception {
        ClusterDescriptor d = parse(THREE_MACHINES.replace("small", "dev").lines().limit(8)
                .reduce("", (a, b) -> a + b + "\n"));
        assertThat(d.machines()).singleElement().extracting(Machine::role).isEqualTo(Role.CONTROL_PLANE);
    }

    @Test
    void an_unknown_key_far_from_every_known_one_lists_the_known_keys() {
        assertThatThrownBy(() -> parse(THREE_MACHINES + "zzzzzzzz: 1\n"))
                .hasMessageContaining("cluster.yml:11:1: zzzzzzzz: unknown key 'zzzzzzzz' at the top level; known keys: architecture, cluster,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "small", "devtest", "production"})
    void every_embedded_example_loads(String name) throws Exception {
        ClusterDescriptor d = DescriptorLoader.loadExample(name);
        assertThat(d.architecture().key()).isEqualTo(name);
        assertThat(d.source()).hasToString("<embedded>/" + name + ".yml");
        assertThat(DescriptorLoader.exampleText(name)).startsWith("# Yoo Installer cluster descriptor");
    }

    @Test
    void an_unknown_example_name_says_which_exist() {
        assertThatThrownBy(() -> DescriptorLoader.exampleText("huge"))
                .hasMessage("no example 'huge': expected one of dev, small, devtest, production");
    }

    @Test
    void levenshtein_counts_edits_and_suggestions_stay_close() {
        assertThat(Suggestions.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.levenshtein("", "abc")).isEqualTo(3);
        assertThat(Suggestions.closest("netwrok", DescriptorParser.TOP)).contains("network");
        assertThat(Suggestions.closest("httpport", DescriptorParser.SERVER)).contains("httpPort");
        assertThat(Suggestions.closest("banana", DescriptorParser.TOP)).isEmpty();
    }

    @Test
    void unquoted_macs_stay_macs_even_though_yaml_11_reads_them_as_base_60_numbers() throws Exception {
        ClusterDescriptor d = parse(THREE_MACHINES.replace("mac: \"52:54:00:12:01:01\"", "mac: 52:54:00:12:01:01"));
        assertThat(d.machines().getFirst().macs()).containsExactly(MacAddress.parse("52:54:00:12:01:01"));
    }

    @Test
    void merge_keys_and_x_extension_keys_share_settings_between_machines() throws Exception {
        ClusterDescriptor d = parse("""
                cluster: prod
                architecture: production
                network: { interface: eth1, server: 10.12.0.2, subnet: 10.12.0.0/16 }
                kubernetes: { controlPlaneEndpoint: 10.12.1.100 }
                x-worker: &worker
                  role: worker
                  labels: { cabinet: three, disk: hdd }
                  installDisk: /dev/sdb
                machines:
                  - { name: c-1, role: control-plane, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
                  - { name: c-2, role: control-plane, mac: "52:54:00:12:01:02", ip: 10.12.1.2 }
                  - { name: c-3, role: control-plane, mac: "52:54:00:12:01:03", ip: 10.12.1.3 }
                  - { <<: *worker, name: w-1, mac: "52:54:00:12:01:04", ip: 10.12.1.4 }
                  - { <<: *worker, name: w-2, mac: "52:54:00:12:01:05", ip: 10.12.1.5, labels: { cabinet: four } }
                """);

        assertThat(d.workers()).extracting(Machine::name).containsExactly("w-1", "w-2");
        assertThat(d.machine("w-1").orElseThrow().labels()).isEqualTo(Map.of("cabinet", "three", "disk", "hdd"));
        assertThat(d.machine("w-1").orElseThrow().overrides().installDisk()).contains("/dev/sdb");
        assertThat(d.machine("w-2").orElseThrow().labels()).as("keys written in place win").isEqualTo(Map.of("cabinet", "four"));
    }

    @Test
    void a_mistake_inside_merged_settings_points_at_where_it_is_written() {
        assertThatThrownBy(() -> parse("""
                cluster: lab
                architecture: devtest
                network: { interface: eth1, server: 10.12.0.2, subnet: 10.12.0.0/16 }
                x-defaults: &d
                  installDisk: sdb
                machines:
                  - { <<: *d, name: cp, role: control-plane, mac: "52:54:00:12:01:01", ip: 10.12.1.1 }
                  - { <<: 5, name: w, mac: "52:54:00:12:01:02", ip: 10.12.1.2 }
                """)).hasMessageContaining("cluster.yml:5:16: machines[0].installDisk: 'sdb' is not a block device path")
                .hasMessageContaining("cluster.yml:8:11: machines[1].<<: '<<' merges a mapping, e.g. <<: *defaults, got '5'");
    }
}
