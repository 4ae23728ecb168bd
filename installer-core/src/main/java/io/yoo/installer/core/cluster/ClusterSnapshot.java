package io.yoo.installer.core.cluster;

import io.yoo.installer.core.boot.BootFiles;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.DescriptorBootPolicy;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.discovery.Discovery;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineIndex;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.render.TftpBootFiles;
import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.boot.SecureBootChain;
import io.yoo.installer.core.boot.SecureBootFiles;
import io.yoo.installer.core.state.MachineStateView;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything {@code yoo serve} derives from one descriptor, built once and never changed: the
 * machine index (name, MAC incl. learned ones, UUID, address), the boot decisions with their
 * reservations, the renderers, the TFTP virtual files, and what the DHCP configuration is made of
 * (install network, reserved addresses). {@link LiveCluster} serves one and swaps it on reload,
 * so a request always sees one descriptor, never a mix.
 */
public final class ClusterSnapshot {
    private final ClusterDescriptor descriptor;
    private final MachineIndex machines;
    private final DescriptorBootPolicy boot;
    private final Renderers renderers;
    private final TftpBootFiles tftpFiles;
    private final SecureBootFiles signedChain;
    private final Optional<DescriptorBootPolicy> boot6;

    private ClusterSnapshot(ClusterDescriptor descriptor, MachineIndex machines, DescriptorBootPolicy boot, Optional<DescriptorBootPolicy> boot6,
            Renderers renderers, TftpBootFiles tftpFiles, SecureBootFiles signedChain) {
        this.descriptor = descriptor;
        this.machines = machines;
        this.boot = boot;
        this.boot6 = boot6;
        this.renderers = renderers;
        this.tftpFiles = tftpFiles;
        this.signedChain = signedChain;
    }

    /**
     * @param tokens  the state directory's machine tokens (the same across reloads)
     * @param secrets the cluster secrets, possibly still being generated
     * @param states  where machine states are read (the state store)
     * @param learned MACs learned from machines booted by UUID, shared across reloads
     * @throws IllegalArgumentException when reservations conflict (two machines on one address, one
     *                                  outside the install subnet or on the server's address)
     */
    public static ClusterSnapshot of(ClusterDescriptor d, MachineTokens tokens, Supplier<ClusterSecrets> secrets, MachineStateView states,
            LearnedMacs learned) {
        MachineIndex machines = MachineIndex.of(d, learned);
        BootUrls urls = BootUrls.of(d.network().bootServer(), d.server().httpPort());
        BootFiles files = BootFiles.DEFAULT.withAllowUnknown(d.server().allowUnknown() || Discovery.enabled(d));
        DescriptorBootPolicy boot = new DescriptorBootPolicy(d, machines, urls, tokens, states, files);
        // the same decisions with URLs on the server's IPv6 address: what DHCPv6 clients are told
        Optional<DescriptorBootPolicy> boot6 = d.ipv6().map(v6 -> new DescriptorBootPolicy(d, machines,
                new BootUrls(v6.httpBase(d.server().httpPort())), tokens, states, files));
        Renderers renderers = Renderers.of(d, tokens, secrets, Optional.empty());
        SecureBootFiles signedChain = new SecureBootFiles(AssetCatalog.open(d.server().assetDir())::servableFile, SecureBootChain.SYSTEM_FILES);
        return new ClusterSnapshot(d, machines, boot, boot6, renderers, new TftpBootFiles(renderers.bootMenus()), signedChain);
    }

    public ClusterDescriptor descriptor() {
        return descriptor;
    }

    public MachineIndex machines() {
        return machines;
    }

    /** DHCP's question "who is this and what does it boot?" for this descriptor. */
    public DescriptorBootPolicy boot() {
        return boot;
    }

    /** DHCPv6's "who is this and what does it boot?": as {@link #boot()}, its URLs on {@code network.ipv6.server}; empty without IPv6. */
    public Optional<DescriptorBootPolicy> boot6() {
        return boot6;
    }

    public Renderers renderers() {
        return renderers;
    }

    /** What HTTP serves to machines: boot menus, configs, install scripts. */
    public MachineArtifacts artifacts() {
        return renderers.all();
    }

    /**
     * A TFTP file rendered from the descriptor (PXELINUX/GRUB configs), or a file of the Secure Boot
     * chain (signed shim/GRUB, kernel and initrd for GRUB); empty when there is none for this client.
     */
    public Optional<byte[]> virtualFile(String path, Ipv4 client) {
        return tftpFiles.file(path, client).map(Rendered::bytes).or(() -> signedChain.find(path));
    }

    /** The install network DHCP serves. */
    public InstallNetwork network() {
        return descriptor.network();
    }

    /** Every reserved address: the DHCP pool must never hand these out. */
    public Set<Ipv4> reservedAddresses() {
        return boot.reservedAddresses();
    }
}
