package io.yoo.installer.core.config;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.RequestFamily;
import io.yoo.installer.core.config.cloudconfig.CloudConfigWriter;
import io.yoo.installer.core.config.host.DiscoveryLiveConfig;
import io.yoo.installer.core.config.host.InstalledHostConfig;
import io.yoo.installer.core.config.host.LiveHostConfig;
import io.yoo.installer.core.config.host.ProfileLiveConfig;
import io.yoo.installer.core.config.ignition.IgnitionWriter;
import io.yoo.installer.core.config.kubeadm.JoinTokens;
import io.yoo.installer.core.config.kubeadm.KubeadmConfigs;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.config.script.InstallScript;
import io.yoo.installer.core.config.script.StepLimits;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.discovery.Discovery;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.KernelCommandLine;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.MenuProfile;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.template.Templates;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a machine receives to install Flatcar and join its Kubernetes cluster: the live config,
 * the installed config (Ignition 3.4 or {@code #cloud-config}, per machine), the install script
 * and the kubeadm config. Boot loader artifacts (iPXE, PXELINUX, GRUB) come from elsewhere: for
 * those kinds this returns empty, as it does for unknown machines.
 *
 * <p>Rendering is pure and cheap enough to do per request; nothing is cached, so template
 * overrides and descriptor reloads show up at once.
 *
 * <p>One instance answers requests over one IP family ({@link #over}): the URLs in what it renders
 * name the server on that family ({@code BootUrls.forMachine}).
 */
public final class ClusterConfigArtifacts implements MachineArtifacts {
    private final ClusterDescriptor cluster;
    /** The URLs on the IPv4 server (or service) address; what a request over {@link #family} is given is chosen from them. */
    private final BootUrls urls4;
    /** The URLs for machines in no descriptor (menu profiles, discovery) over {@link #family}. */
    private final BootUrls urls;
    private final RequestFamily family;
    /** The same artifacts for the other family: what {@link #over} returns for it. */
    private final ClusterConfigArtifacts otherFamily;
    private final MachineTokens tokens;
    private final Supplier<ClusterSecrets> secrets;
    private final LiveHostConfig live;
    private final InstalledHostConfig installed;
    private final KubeadmConfigs kubeadm;
    private final InstallScript script;
    private final ProfileLiveConfig profiles;
    private final DiscoveryLiveConfig discovery;
    private final IgnitionWriter ignition = new IgnitionWriter();
    private final CloudConfigWriter cloudConfig = new CloudConfigWriter();
    private final Clock clock;

    public ClusterConfigArtifacts(ClusterDescriptor cluster, BootUrls urls, MachineTokens tokens, ClusterSecrets secrets,
            Templates templates) {
        this(cluster, urls, tokens, secrets, templates, StepLimits.DEFAULT);
    }

    public ClusterConfigArtifacts(ClusterDescriptor cluster, BootUrls urls, MachineTokens tokens, ClusterSecrets secrets,
            Templates templates, StepLimits limits) {
        this(cluster, urls, tokens, () -> secrets, templates, limits);
    }

    /**
     * @param secrets asked for on each render that needs them: `yoo serve` generates a new
     *                cluster's CAs in the background (seconds of RSA key generation) so that it
     *                answers DHCP and boot requests at once; a config render waits for them
     */
    public ClusterConfigArtifacts(ClusterDescriptor cluster, BootUrls urls, MachineTokens tokens, Supplier<ClusterSecrets> secrets,
            Templates templates, StepLimits limits) {
        this(cluster, urls, tokens, secrets, templates, limits, Clock.systemUTC());
    }

    /** @param clock picks the join-token window ({@link JoinTokens}) */
    public ClusterConfigArtifacts(ClusterDescriptor cluster, BootUrls urls, MachineTokens tokens, Supplier<ClusterSecrets> secrets,
            Templates templates, StepLimits limits, Clock clock) {
        this(cluster, urls, tokens, secrets, templates, limits, clock, RequestFamily.IPV4, null);
    }

    private ClusterConfigArtifacts(ClusterDescriptor cluster, BootUrls urls4, MachineTokens tokens, Supplier<ClusterSecrets> secrets,
            Templates templates, StepLimits limits, Clock clock, RequestFamily family, ClusterConfigArtifacts otherFamily) {
        this.clock = clock;
        this.cluster = cluster;
        this.urls4 = urls4;
        this.urls = BootUrls.forStranger(cluster, urls4, family);
        this.family = family;
        this.tokens = tokens;
        this.secrets = secrets;
        this.live = new LiveHostConfig(templates);
        this.installed = new InstalledHostConfig(templates, clock);
        this.kubeadm = new KubeadmConfigs(templates, clock);
        this.script = new InstallScript(templates, limits);
        this.profiles = new ProfileLiveConfig(templates);
        this.discovery = new DiscoveryLiveConfig(templates);
        this.otherFamily = otherFamily != null ? otherFamily : new ClusterConfigArtifacts(cluster, urls4, tokens, secrets, templates, limits,
                clock, family == RequestFamily.IPV4 ? RequestFamily.IPV6 : RequestFamily.IPV4, this);
    }

    /** The artifacts for requests over {@code f}; without {@code network.ipv6} both families get the same (IPv4 URLs). */
    @Override
    public ClusterConfigArtifacts over(RequestFamily f) {
        return f == family || cluster.ipv6().isEmpty() ? this : otherFamily;
    }

    private BootUrls urlsOf(Machine m) {
        return BootUrls.forMachine(cluster, m, urls4, family);
    }

    /**
     * @throws IllegalArgumentException when a descriptor value cannot be put into the artifact
     *         safely (the message names the field)
     */
    @Override
    public Optional<Rendered> render(String machineName, ArtifactKind kind) {
        Optional<Machine> machine = cluster.machine(machineName);
        if (machine.isEmpty()) {
            return Optional.empty();
        }
        NodeContext node = new NodeContext(cluster, machine.get(), urlsOf(machine.get()),
                tokens.tokenFor(machineName), secrets.get());
        return switch (kind) {
            case LIVE_CONFIG -> Optional.of(config(node, live.build(node), "live"));
            case INSTALLED_CONFIG -> Optional.of(config(node, installed.build(node), "installed"));
            case INSTALL_SCRIPT -> Optional.of(new Rendered(machineName + "-install.sh", kind.contentType(), script.render(node)));
            case KUBEADM -> Optional.of(new Rendered(KubeadmConfigs.fileName(node), kind.contentType(), kubeadm.render(node)));
            // a joining machine's own token; the list to create, for the control plane only
            case JOIN_TOKEN -> node.isInitNode() ? Optional.empty()
                    : Optional.of(new Rendered("join-token", kind.contentType(), JoinTokens.forMachine(node, clock.instant()) + "\n"));
            case JOIN_TOKENS -> !node.isControlPlane() ? Optional.empty()
                    : Optional.of(new Rendered("join-tokens", kind.contentType(), lines(JoinTokens.toCreate(node, clock.instant()))));
            case IPXE, PXELINUX, GRUB -> Optional.empty();
        };
    }

    /**
     * The live config of a boot-menu entry for machines not in the descriptor: no token, no
     * cluster secrets (it never asks for them), in the cluster's dialect. Empty unless
     * {@code server.allowUnknown}, or for a name that is not a menu profile.
     */
    @Override
    public Optional<Rendered> profileLiveConfig(String profile) {
        if (!cluster.server().allowUnknown()) {
            return Optional.empty();
        }
        return MenuProfile.named(profile).map(p -> {
            HostConfig host = profiles.build(cluster, p, urls, BootUrls.onIpv6(cluster, Optional.empty(), family)
                    ? cluster.ipv6().orElseThrow().server().toString() : cluster.network().bootServer().toString());
            String name = "profile-" + p.profile() + "-live";
            return cluster.os().dialect() == ConfigDialect.IGNITION
                    ? new Rendered(name + ".ign", "application/json", ignition.write(host))
                    : new Rendered(name + ".yml", "text/cloud-config", cloudConfig.write(host));
        });
    }

    @Override
    public boolean discoversUnknown() {
        return Discovery.enabled(cluster);
    }

    /**
     * The discovery live config of a machine in no descriptor, in the cluster's dialect: the
     * inventory script and its unit, no cluster secret. Empty unless {@code server.discovery}.
     */
    @Override
    public Optional<Rendered> discoveryLiveConfig(MacAddress mac, String enrollmentToken) {
        if (!discoversUnknown()) {
            return Optional.empty();
        }
        HostConfig host = discovery.build(cluster, mac, enrollmentToken, urls);
        String name = "discovery-" + mac.toDashed() + "-live";
        return Optional.of(cluster.os().dialect() == ConfigDialect.IGNITION
                ? new Rendered(name + ".ign", "application/json", ignition.write(host))
                : new Rendered(name + ".yml", "text/cloud-config", cloudConfig.write(host)));
    }

    @Override
    public Optional<Rendered> discoveryProgram(MacAddress mac, String enrollmentToken) {
        if (!discoversUnknown()) {
            return Optional.empty();
        }
        return Optional.of(new Rendered("yoo-discover", "text/x-shellscript", discovery.script(cluster, mac, enrollmentToken, urls)));
    }

    /**
     * The kernel arguments that make Flatcar's live (PXE) system fetch this machine's live config,
     * for whoever renders the boot loader script: Ignition needs {@code flatcar.first_boot=1} and
     * {@code ignition.config.url}, coreos-cloudinit reads {@code cloud-config-url}; with
     * {@code autologin} also {@code flatcar.autologin} (the live config adds the same for getty).
     * Empty for an unknown machine.
     */
    public List<String> liveKernelArgs(String machineName) {
        // one place decides these arguments: the boot-menu renderer puts the same ones on the kernel line
        return cluster.machine(machineName)
                .map(m -> KernelCommandLine.liveConfigArgs(cluster, m, urlsOf(m), tokens.tokenFor(machineName)))
                .orElse(List.of());
    }

    private static String lines(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private Rendered config(NodeContext node, HostConfig host, String stage) {
        if (node.dialect() == ConfigDialect.IGNITION) {
            return new Rendered(node.name() + "-" + stage + ".ign", "application/json", ignition.write(host));
        }
        return new Rendered(node.name() + "-" + stage + ".yml", "text/cloud-config", cloudConfig.write(host));
    }
}
