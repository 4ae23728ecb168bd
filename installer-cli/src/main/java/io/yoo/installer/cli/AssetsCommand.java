package io.yoo.installer.cli;

import io.yoo.installer.core.assets.AssetBundle;
import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.assets.AssetJob;
import io.yoo.installer.core.assets.AssetListing;
import io.yoo.installer.core.assets.AssetPaths;
import io.yoo.installer.core.assets.AssetStore;
import io.yoo.installer.core.assets.AssetSync;
import io.yoo.installer.core.assets.ManifestEntry;
import io.yoo.installer.core.assets.MirrorSources;
import io.yoo.installer.core.assets.SyncReport;
import io.yoo.installer.core.assets.SyncRequest;
import io.yoo.installer.core.assets.fetch.HttpFetcher;
import io.yoo.installer.core.assets.fetch.ProgressListener;
import io.yoo.installer.core.assets.fetch.ProxySettings;
import io.yoo.installer.core.assets.fetch.TrustedCertificates;
import io.yoo.installer.core.assets.oci.ImagePuller;
import io.yoo.installer.core.assets.oci.RegistryClient;
import io.yoo.installer.core.assets.oci.RegistryMirrors;
import io.yoo.installer.core.assets.verify.OpenPgpVerifier;
import io.yoo.installer.core.assets.verify.VerificationException;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.kubernetes.ClusterImages;
import io.yoo.installer.core.kubernetes.KubernetesImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code yoo assets}: a verified, offline mirror of Flatcar and Kubernetes for sites behind a firewall. */
@Command(
        name = "assets",
        mixinStandardHelpOptions = true,
        description = {
            "Keep a verified local mirror of Flatcar and Kubernetes in the asset directory.",
            "Only files that passed OpenPGP/checksum verification are ever served by 'yoo serve'."
        },
        subcommands = {AssetsCommand.Sync.class, AssetsCommand.Import.class, AssetsCommand.Export.class, AssetsCommand.ListAssets.class,
            AssetsCommand.Add.class, AssetsCommand.Images.class})
public final class AssetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every assets subcommand shares. */
    static final class Common {
        @Option(names = "--asset-dir", paramLabel = "DIR",
                description = "asset directory (default: server.assetDir of -d FILE / --example, else ./assets)")
        Path assetDirOption;

        @Option(names = {"-d", "--descriptor"}, paramLabel = "FILE",
                description = "cluster descriptor to take server.assetDir and the Kubernetes version, CNI and VIP (which images to mirror) from")
        Path descriptor;

        @Option(names = "--example", paramLabel = "NAME", completionCandidates = DescriptorSource.ExampleNames.class,
                description = "embedded example descriptor to take them from: ${COMPLETION-CANDIDATES}")
        String example;

        /** --asset-dir, else the descriptor's server.assetDir (the directory yoo serve reads), else ./assets. */
        Path assetDir() {
            if (assetDirOption != null) {
                descriptor(); // still checks -d/--example
                return assetDirOption;
            }
            return descriptor().map(d -> d.server().assetDir()).orElse(Path.of("assets"));
        }

        /** The descriptor of -d FILE / --example NAME, loaded once; empty without either. */
        Optional<ClusterDescriptor> descriptor() {
            if (descriptor != null && example != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give -d FILE or --example NAME, not both");
            }
            if (loaded == null) {
                try {
                    loaded = descriptor == null && example == null ? Optional.empty()
                            : Optional.of(example != null ? DescriptorLoader.loadExample(example)
                                    : DescriptorLoader.load(descriptor));
                } catch (DescriptorException e) {
                    throw new InvalidInput(e.getMessage());
                }
            }
            return loaded;
        }

        private Optional<ClusterDescriptor> loaded;

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = "--flatcar-key", paramLabel = "FILE",
                description = "OpenPGP public key to verify Flatcar with, instead of the shipped Flatcar image signing key")
        Path flatcarKey;

        OpenPgpVerifier verifier() throws IOException {
            return flatcarKey == null ? OpenPgpVerifier.flatcar() : OpenPgpVerifier.fromFile(flatcarKey);
        }
    }

    /** Which container images to mirror: the options {@code sync} and {@code images} share. */
    static final class ImageOptions {
        @Option(names = "--kubernetes", paramLabel = "VERSION", description = "e.g. 1.31.4 (default: kubernetes.version of -d FILE / --example)")
        String kubernetes;

        @Option(names = "--cni", paramLabel = "NAME", description = "CNI whose images to mirror: flannel or none; calico and cilium are refused"
                + " as by yoo validate (default: the descriptor's kubernetes.cni, else flannel)")
        String cni;

        @Option(names = "--kube-vip", negatable = true,
                description = "mirror kube-vip's image (default: with -d/--example, when kubernetes.controlPlaneEndpoint is a VIP; else yes)")
        Boolean kubeVip;

        @Option(names = "--etcd-version", paramLabel = "TAG", description = "etcd image tag, for kubeadm patch releases that moved it (default: the minor's pin)")
        String etcdVersion;

        /** These flags over the descriptor of {@code common}'s -d FILE / --example NAME. */
        ImageChoice choice(Common common) {
            return ImageChoice.of(common.descriptor(), kubernetes, cni, kubeVip);
        }

        Optional<String> etcdVersion() {
            return Optional.ofNullable(etcdVersion);
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Download Flatcar, Kubernetes and the cluster's container images into the asset directory, verify them, and record what passed.",
                "Already verified files are skipped; interrupted downloads resume."})
    static final class Sync implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--flatcar", paramLabel = "CHANNEL[:VERSION]", description = "e.g. stable or stable:4081.2.0 (default version: the channel's current)")
        String flatcar;

        @Mixin
        ImageOptions imageOptions;

        @Option(names = "--cni-version", paramLabel = "VERSION", defaultValue = SyncRequest.DEFAULT_CNI, description = "CNI plugins release (default: ${DEFAULT-VALUE})")
        String cniVersion;

        @Option(names = "--crictl-version", paramLabel = "VERSION", description = "cri-tools release (default: <kubernetes major.minor>.0)")
        String crictlVersion;

        @Option(names = "--image", paramLabel = "NAME.tar", description = "image archive to fetch from --images-url (repeatable; the descriptor's preloadImages)")
        List<String> images = new ArrayList<>();

        @Option(names = "--image-file", paramLabel = "FILE", description = "local image archive to import; needs FILE.sha256 beside it (repeatable)")
        List<Path> imageFiles = new ArrayList<>();

        @Option(names = "--images-url", paramLabel = "URL", description = "directory URL serving NAME.tar and NAME.tar.sha256 (a registry mirror's archive export)")
        String imagesUrl;

        @Option(names = "--flatcar-url", paramLabel = "TEMPLATE", defaultValue = MirrorSources.FLATCAR, description = "default: ${DEFAULT-VALUE}")
        String flatcarUrl;

        @Option(names = "--kubernetes-url", paramLabel = "TEMPLATE", defaultValue = MirrorSources.KUBERNETES, description = "default: ${DEFAULT-VALUE}")
        String kubernetesUrl;

        @Option(names = "--cni-url", paramLabel = "TEMPLATE", defaultValue = MirrorSources.CNI, description = "default: ${DEFAULT-VALUE}")
        String cniUrl;

        @Option(names = "--crictl-url", paramLabel = "TEMPLATE", defaultValue = MirrorSources.CRICTL, description = "default: ${DEFAULT-VALUE}")
        String crictlUrl;

        @Option(names = "--proxy", paramLabel = "URL", description = "http://host:port or socks5://host:port (default: $ALL_PROXY, else direct)")
        String proxy;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "extra CA certificates to trust for HTTPS mirrors (added to the JDK's)")
        Path caFile;

        @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "concurrent downloads (default: ${DEFAULT-VALUE})")
        int parallel;

        @Option(names = "--arch", defaultValue = "amd64", description = "amd64 or arm64 (default: ${DEFAULT-VALUE})")
        String arch;

        @Option(names = "--progress", negatable = true, description = "live progress bars (default: when stderr is a terminal)")
        Boolean progress;

        @Option(names = "--no-images", description = "with --kubernetes: skip the container images (kubeadm's, the CNI's, kube-vip's)")
        boolean noImages;

        @Option(names = "--images-only", description = "with --kubernetes: only the container images (no Flatcar, no binaries)")
        boolean imagesOnly;

        @Option(names = "--registry-mirror", paramLabel = "REGISTRY=URL",
                description = "pull REGISTRY's images from URL instead, e.g. registry.k8s.io=http://10.0.0.5:5000 (repeatable; names stay as they are)")
        List<String> registryMirrors = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SyncRequest request;
            ClusterImages clusterImages = null;
            RegistryMirrors mirrors = null;
            ProxySettings proxySettings;
            OpenPgpVerifier verifier;
            javax.net.ssl.SSLContext tls;
            ImageChoice choice = imageOptions.choice(common);
            choice.notes().forEach(n -> err.println("note: " + n));
            String kubernetes = choice.version().orElse(null);
            try {
                String[] fc = flatcar == null ? null : SyncRequest.parseFlatcar(flatcar);
                request = new SyncRequest(Optional.ofNullable(fc).map(f -> f[0]), Optional.ofNullable(fc).map(f -> f[1]),
                        Optional.ofNullable(kubernetes), cniVersion, Optional.ofNullable(crictlVersion), images, imageFiles, arch);
                proxySettings = proxy != null ? ProxySettings.parse(proxy) : ProxySettings.fromEnvironment();
                verifier = common.verifier();
                tls = caFile == null ? null : TrustedCertificates.withExtraCas(caFile);
                if (kubernetes != null && !noImages) {
                    clusterImages = KubernetesImages.forVersion(kubernetes, choice.cni(), choice.kubeVip(), imageOptions.etcdVersion());
                    mirrors = RegistryMirrors.parse(registryMirrors);
                }
                if (imagesOnly && clusterImages == null) {
                    throw new IllegalArgumentException("--images-only needs --kubernetes VERSION (and no --no-images)");
                }
            } catch (IllegalArgumentException | IOException e) {
                err.println("yoo assets sync: " + e.getMessage());
                return Yoo.EXIT_USAGE;
            }
            MirrorSources sources = new MirrorSources(flatcarUrl, kubernetesUrl, cniUrl, crictlUrl, Optional.ofNullable(imagesUrl));
            AssetStore store = new AssetStore(common.assetDir());
            err.println("syncing into " + store.assetDir() + " via " + proxySettings + " (" + parallel + " at a time)");
            boolean live = progress != null ? progress : System.console() != null;
            SyncReport report;
            try (ConsoleProgress bars = new ConsoleProgress(System.err, live)) {
                AssetSync sync = new AssetSync(store, new HttpFetcher(proxySettings, Duration.ofSeconds(30), 5, tls), verifier, sources, parallel, bars);
                List<SyncReport.Outcome> outcomes = new ArrayList<>();
                if (clusterImages != null) {
                    // first, so that the SHA256SUMS the sync writes lists the image archives too
                    ImagePuller puller = new ImagePuller(store, new RegistryClient(proxySettings, tls, Duration.ofSeconds(30), 5), mirrors, parallel, bars);
                    outcomes.addAll(puller.pullAll(kubernetes, clusterImages.all(), arch).outcomes());
                }
                if (imagesOnly) {
                    outcomes.add(sync.writeSha256Sums(AssetPaths.kubernetesDir(AssetPaths.stripV(kubernetes))));
                } else {
                    outcomes.addAll(sync.sync(request).outcomes());
                }
                report = new SyncReport(outcomes);
            } catch (VerificationException e) {
                err.println("yoo assets sync: " + e.getMessage());
                return Yoo.EXIT_INVALID;
            } catch (IOException e) {
                err.println("yoo assets sync: " + e.getMessage());
                return Yoo.EXIT_ENVIRONMENT;
            }
            return summarise(report, store.catalog(), out, err);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a bundle (from 'yoo assets export') or an asset directory copy, verifying everything again.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Parameters(paramLabel = "DIR|BUNDLE.tar")
        Path source;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            AssetStore store = new AssetStore(common.assetDir());
            SyncReport report;
            try {
                report = new AssetBundle(store, common.verifier()).importFrom(source);
            } catch (IOException | IllegalArgumentException e) {
                err.println("yoo assets import: " + e.getMessage());
                return Yoo.EXIT_INVALID;
            }
            return summarise(report, store.catalog(), spec.commandLine().getOut(), err);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the verified assets (with signatures, checksums and the manifest) to a tar bundle to carry to an air-gapped site.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--out", required = true, paramLabel = "BUNDLE.tar")
        Path out;

        @Option(names = "--only", paramLabel = "PREFIX", description = "only paths under PREFIX, e.g. flatcar/stable/4081.2.0 (repeatable)")
        List<String> only = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            AssetStore store = new AssetStore(common.assetDir());
            List<ManifestEntry> written = new AssetBundle(store, common.verifier()).export(out, only);
            long bytes = written.stream().mapToLong(ManifestEntry::size).sum();
            spec.commandLine().getOut().printf("wrote %s: %d verified files, %d bytes%n", out, written.size(), bytes);
            if (written.isEmpty()) {
                spec.commandLine().getErr().println("nothing verified to export (run 'yoo assets sync' first)");
                return Yoo.EXIT_INVALID;
            }
            return Yoo.EXIT_OK;
        }
    }

    @Command(name = "images", mixinStandardHelpOptions = true,
            description = {"Print the container images `yoo assets sync --kubernetes VERSION` mirrors, one per line:",
                "kubeadm's list (as `kubeadm config images list` prints it), then the CNI's, then kube-vip's."})
    static final class Images implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Mixin
        ImageOptions imageOptions;

        @Override
        public Integer call() {
            ImageChoice choice = imageOptions.choice(common);
            choice.notes().forEach(n -> spec.commandLine().getErr().println("note: " + n));
            if (choice.version().isEmpty()) {
                spec.commandLine().getErr().println("yoo assets images: give --kubernetes VERSION, -d FILE or --example NAME");
                return Yoo.EXIT_USAGE;
            }
            try {
                ClusterImages images = KubernetesImages.forVersion(choice.version().get(), choice.cni(), choice.kubeVip(), imageOptions.etcdVersion());
                images.all().forEach(i -> spec.commandLine().getOut().println(i.name()));
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("yoo assets images: " + e.getMessage());
                return Yoo.EXIT_USAGE;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show verified Flatcar versions per channel and Kubernetes versions; flag missing and stale files.")
    static final class ListAssets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            AssetCatalog catalog = AssetCatalog.open(common.assetDir());
            spec.commandLine().getOut().print(AssetListing.render(AssetListing.of(catalog)));
            return Yoo.EXIT_OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add one local file whose digest you state, e.g. tools/flatcar-install or ipxe/snponly.efi.",
                "It is copied in, checked against the digest, and served like any verified asset."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--as", required = true, paramLabel = "PATH", description = "asset-relative path, e.g. tools/flatcar-install")
        String target;

        @Option(names = "--sha256", paramLabel = "HEX", description = "expected SHA-256 (or use --sha512)")
        String sha256;

        @Option(names = "--sha512", paramLabel = "HEX")
        String sha512;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            if ((sha256 == null) == (sha512 == null)) {
                err.println("yoo assets add: give exactly one of --sha256 or --sha512 (e.g. from the file's publisher)");
                return Yoo.EXIT_USAGE;
            }
            AssetStore store = new AssetStore(common.assetDir());
            AssetSync sync = new AssetSync(store, new HttpFetcher(ProxySettings.direct()), common.verifier(), MirrorSources.defaults(), 1,
                    ProgressListener.NONE);
            SyncReport report;
            try {
                report = sync.run(List.of(new AssetJob.KnownDigest(
                        AssetPaths.checkRelative(target), file,
                        sha256 != null ? "sha256" : "sha512", sha256 != null ? sha256 : sha512)));
            } catch (IllegalArgumentException e) {
                err.println("yoo assets add: " + e.getMessage());
                return Yoo.EXIT_USAGE;
            }
            return summarise(report, store.catalog(), spec.commandLine().getOut(), err);
        }
    }

    static int summarise(SyncReport report, AssetCatalog catalog, PrintWriter out, PrintWriter err) {
        for (SyncReport.Outcome o : report.failures()) {
            err.println("FAILED " + o.path() + ": " + o.message());
        }
        out.println(report.summary());
        out.print(AssetListing.render(AssetListing.of(catalog)));
        out.flush();
        if (report.ok()) {
            return Yoo.EXIT_OK;
        }
        boolean verification = report.failures().stream().anyMatch(o -> o.message() != null && o.message().startsWith("verification failed"));
        return verification ? Yoo.EXIT_INVALID : Yoo.EXIT_ENVIRONMENT;
    }
}
