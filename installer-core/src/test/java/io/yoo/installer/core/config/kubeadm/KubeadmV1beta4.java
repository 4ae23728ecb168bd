package io.yoo.installer.core.config.kubeadm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the documents {@code kubeadm init/join --config} reads, field by field, as the Go
 * types declare them (json tags; {@code omitempty} = optional, without it = required unless the
 * type's doc says it is defaulted):
 * <ul>
 *   <li>kubeadm.k8s.io/v1beta4: kubernetes/kubernetes {@code cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go}
 *       at commit 1329935739c3aa007d23cb9a4dadfee9d59ff79b (the 1.31+ shape: Timeouts, Proxy,
 *       EncryptionAlgorithm, ExtraEnvs, ImagePullSerial), and {@code apis/bootstraptoken/v1/types.go}
 *       for BootstrapToken;</li>
 *   <li>kubelet.config.k8s.io/v1beta1 KubeletConfiguration: kubernetes/kubelet
 *       {@code config/v1beta1/types.go} at commit 63b3249 (top-level field names; the few fields Yoo
 *       sets are typed).</li>
 * </ul>
 * kubeadm decodes these documents strictly (unknown fields are an error since v1beta3), so an
 * unknown or misspelled field here is a field kubeadm would refuse.
 */
final class KubeadmV1beta4 {
    private KubeadmV1beta4() {}

    /** A field's type. */
    sealed interface Type permits Str, Int, Bool, Duration, Obj, ListOf, MapOf, Free {}

    record Str() implements Type {}

    record Int() implements Type {}

    record Bool() implements Type {}

    /** metav1.Duration: a Go duration string ("24h0m0s", "5m"). */
    record Duration() implements Type {}

    /** A struct: its fields by json name; required = no omitempty and not documented as defaulted. */
    record Obj(String name, Map<String, Field> fields) implements Type {}

    record ListOf(Type element) implements Type {}

    record MapOf(Type value) implements Type {}

    /** A type Yoo does not set and whose inner shape this check does not model (it only must be present where allowed). */
    record Free() implements Type {}

    record Field(Type type, boolean required) {}

    static final Str STR = new Str();
    static final Int INT = new Int();
    static final Bool BOOL = new Bool();
    static final Duration DURATION = new Duration();
    static final Free FREE = new Free();

    private static Obj obj(String name, Object... nameTypeRequired) {
        Map<String, Field> f = new LinkedHashMap<>();
        for (int i = 0; i < nameTypeRequired.length; i += 3) {
            f.put((String) nameTypeRequired[i], new Field((Type) nameTypeRequired[i + 1], (Boolean) nameTypeRequired[i + 2]));
        }
        return new Obj(name, f);
    }

    private static final boolean OPT = false;
    private static final boolean REQ = true;

    // --- shared pieces -----------------------------------------------------------------------
    /** Arg: {@code name}, {@code value}, both without omitempty. */
    static final Obj ARG = obj("Arg", "name", STR, REQ, "value", STR, REQ);
    /** corev1.EnvVar (inline in EnvVar): name required; value, valueFrom optional. */
    static final Obj ENV_VAR = obj("EnvVar", "name", STR, REQ, "value", STR, OPT, "valueFrom", FREE, OPT);
    static final Obj HOST_PATH_MOUNT = obj("HostPathMount", "name", STR, REQ, "hostPath", STR, REQ, "mountPath", STR, REQ,
            "readOnly", BOOL, OPT, "pathType", STR, OPT);
    static final Obj PATCHES = obj("Patches", "directory", STR, OPT);
    static final Obj TIMEOUTS = obj("Timeouts", "controlPlaneComponentHealthCheck", DURATION, OPT, "kubeletHealthCheck", DURATION, OPT,
            "kubernetesAPICall", DURATION, OPT, "etcdAPICall", DURATION, OPT, "tlsBootstrap", DURATION, OPT,
            "discovery", DURATION, OPT, "upgradeManifests", DURATION, OPT);
    static final Obj API_ENDPOINT = obj("APIEndpoint", "advertiseAddress", STR, OPT, "bindPort", INT, OPT);
    /** corev1.Taint: key and effect required, value and timeAdded optional. */
    static final Obj TAINT = obj("Taint", "key", STR, REQ, "value", STR, OPT, "effect", STR, REQ, "timeAdded", STR, OPT);
    /** Taints has no omitempty (nil = default control-plane taint, [] = none), but may be left out. */
    static final Obj NODE_REGISTRATION = obj("NodeRegistrationOptions", "name", STR, OPT, "criSocket", STR, OPT,
            "taints", new ListOf(TAINT), OPT, "kubeletExtraArgs", new ListOf(ARG), OPT,
            "ignorePreflightErrors", new ListOf(STR), OPT, "imagePullPolicy", STR, OPT, "imagePullSerial", BOOL, OPT);
    /** bootstraptoken/v1 BootstrapToken: token required (BootstrapTokenString), the rest optional. */
    static final Obj BOOTSTRAP_TOKEN = obj("BootstrapToken", "token", STR, REQ, "description", STR, OPT, "ttl", DURATION, OPT,
            "expires", STR, OPT, "usages", new ListOf(STR), OPT, "groups", new ListOf(STR), OPT);
    static final Obj COMPONENT = obj("ControlPlaneComponent", "extraArgs", new ListOf(ARG), OPT,
            "extraVolumes", new ListOf(HOST_PATH_MOUNT), OPT, "extraEnvs", new ListOf(ENV_VAR), OPT);
    static final Obj API_SERVER = obj("APIServer", "extraArgs", new ListOf(ARG), OPT, "extraVolumes", new ListOf(HOST_PATH_MOUNT), OPT,
            "extraEnvs", new ListOf(ENV_VAR), OPT, "certSANs", new ListOf(STR), OPT);
    static final Obj LOCAL_ETCD = obj("LocalEtcd", "imageRepository", STR, OPT, "imageTag", STR, OPT,
            // dataDir has no omitempty, but is defaulted to /var/lib/etcd
            "dataDir", STR, OPT, "extraArgs", new ListOf(ARG), OPT, "extraEnvs", new ListOf(ENV_VAR), OPT,
            "serverCertSANs", new ListOf(STR), OPT, "peerCertSANs", new ListOf(STR), OPT);
    static final Obj EXTERNAL_ETCD = obj("ExternalEtcd", "endpoints", new ListOf(STR), REQ, "caFile", STR, REQ, "certFile", STR, REQ,
            "keyFile", STR, REQ);
    static final Obj ETCD = obj("Etcd", "local", LOCAL_ETCD, OPT, "external", EXTERNAL_ETCD, OPT);
    static final Obj NETWORKING = obj("Networking", "serviceSubnet", STR, OPT, "podSubnet", STR, OPT, "dnsDomain", STR, OPT);
    static final Obj DNS = obj("DNS", "imageRepository", STR, OPT, "imageTag", STR, OPT, "disabled", BOOL, OPT);
    static final Obj PROXY = obj("Proxy", "disabled", BOOL, OPT);
    static final Obj BOOTSTRAP_TOKEN_DISCOVERY = obj("BootstrapTokenDiscovery", "token", STR, REQ, "apiServerEndpoint", STR, OPT,
            "caCertHashes", new ListOf(STR), OPT, "unsafeSkipCAVerification", BOOL, OPT);
    static final Obj FILE_DISCOVERY = obj("FileDiscovery", "kubeConfigPath", STR, REQ);
    static final Obj DISCOVERY = obj("Discovery", "bootstrapToken", BOOTSTRAP_TOKEN_DISCOVERY, OPT, "file", FILE_DISCOVERY, OPT,
            "tlsBootstrapToken", STR, OPT);
    static final Obj JOIN_CONTROL_PLANE = obj("JoinControlPlane", "localAPIEndpoint", API_ENDPOINT, OPT, "certificateKey", STR, OPT);

    // --- the documents -----------------------------------------------------------------------
    static final Obj INIT_CONFIGURATION = obj("InitConfiguration", "apiVersion", STR, REQ, "kind", STR, REQ,
            "bootstrapTokens", new ListOf(BOOTSTRAP_TOKEN), OPT, "dryRun", BOOL, OPT, "nodeRegistration", NODE_REGISTRATION, OPT,
            "localAPIEndpoint", API_ENDPOINT, OPT, "certificateKey", STR, OPT, "skipPhases", new ListOf(STR), OPT,
            "patches", PATCHES, OPT, "timeouts", TIMEOUTS, OPT);
    static final Obj CLUSTER_CONFIGURATION = obj("ClusterConfiguration", "apiVersion", STR, REQ, "kind", STR, REQ,
            "etcd", ETCD, OPT, "networking", NETWORKING, OPT, "kubernetesVersion", STR, OPT, "controlPlaneEndpoint", STR, OPT,
            "apiServer", API_SERVER, OPT, "controllerManager", COMPONENT, OPT, "scheduler", COMPONENT, OPT, "dns", DNS, OPT,
            "proxy", PROXY, OPT, "certificatesDir", STR, OPT, "imageRepository", STR, OPT, "featureGates", new MapOf(BOOL), OPT,
            "clusterName", STR, OPT, "encryptionAlgorithm", STR, OPT, "certificateValidityPeriod", DURATION, OPT,
            "caCertificateValidityPeriod", DURATION, OPT);
    static final Obj JOIN_CONFIGURATION = obj("JoinConfiguration", "apiVersion", STR, REQ, "kind", STR, REQ,
            "dryRun", BOOL, OPT, "nodeRegistration", NODE_REGISTRATION, OPT, "caCertPath", STR, OPT,
            "discovery", DISCOVERY, REQ, "controlPlane", JOIN_CONTROL_PLANE, OPT, "skipPhases", new ListOf(STR), OPT,
            "patches", PATCHES, OPT, "timeouts", TIMEOUTS, OPT);

    /** KubeletConfiguration's top-level fields (kubernetes/kubelet config/v1beta1 at 63b3249). */
    static final List<String> KUBELET_FIELDS = List.of("enableServer", "staticPodPath", "podLogsDir", "syncFrequency",
            "fileCheckFrequency", "httpCheckFrequency", "staticPodURL", "staticPodURLHeader", "address", "port", "readOnlyPort",
            "tlsCertFile", "tlsPrivateKeyFile", "tlsCipherSuites", "tlsCurvePreferences", "tlsMinVersion", "rotateCertificates",
            "serverTLSBootstrap", "authentication", "authorization", "registryPullQPS", "registryBurst",
            "imagePullCredentialsVerificationPolicy", "preloadedImagesVerificationAllowlist", "eventRecordQPS", "eventBurst",
            "enableDebuggingHandlers", "enableContentionProfiling", "healthzPort", "healthzBindAddress", "oomScoreAdj",
            "clusterDomain", "clusterDNS", "streamingConnectionIdleTimeout", "nodeStatusUpdateFrequency",
            "nodeStatusReportFrequency", "nodeLeaseDurationSeconds", "imageMinimumGCAge", "imageMaximumGCAge",
            "imageGCHighThresholdPercent", "imageGCLowThresholdPercent", "volumeStatsAggPeriod", "kubeletCgroups",
            "systemCgroups", "cgroupRoot", "cgroupsPerQOS", "cgroupDriver", "cpuManagerPolicy", "singleProcessOOMKill",
            "cpuManagerPolicyOptions", "cpuManagerReconcilePeriod", "memoryManagerPolicy", "topologyManagerPolicy",
            "topologyManagerScope", "topologyManagerPolicyOptions", "qosReserved", "runtimeRequestTimeout", "hairpinMode",
            "maxPods", "podCIDR", "podPidsLimit", "resolvConf", "runOnce", "cpuCFSQuota", "cpuCFSQuotaPeriod",
            "nodeStatusMaxImages", "maxOpenFiles", "contentType", "kubeAPIQPS", "kubeAPIBurst", "serializeImagePulls",
            "maxParallelImagePulls", "evictionHard", "evictionSoft", "evictionSoftGracePeriod", "evictionPressureTransitionPeriod",
            "evictionMaxPodGracePeriod", "evictionMinimumReclaim", "mergeDefaultEvictionSettings", "podsPerCore",
            "enableControllerAttachDetach", "protectKernelDefaults", "makeIPTablesUtilChains", "iptablesMasqueradeBit",
            "iptablesDropBit", "featureGates", "failSwapOn", "memorySwap", "containerLogMaxSize", "containerLogMaxFiles",
            "containerLogMaxWorkers", "containerLogMonitorInterval", "configMapAndSecretChangeDetectionStrategy",
            "systemReserved", "kubeReserved", "reservedSystemCPUs", "showHiddenMetricsForVersion", "systemReservedCgroup",
            "kubeReservedCgroup", "enforceNodeAllocatable", "allowedUnsafeSysctls", "defaultPodSysctls", "volumePluginDir",
            "providerID", "kernelMemcgNotification", "logging", "enableSystemLogHandler", "enableSystemLogQuery",
            "shutdownGracePeriod", "shutdownGracePeriodCriticalPods", "shutdownGracePeriodByPodPriority", "crashLoopBackOff",
            "reservedMemory", "enableProfilingHandler", "enableDebugFlagsHandler", "seccompDefault", "memoryThrottlingFactor",
            "memoryReservationPolicy", "registerWithTaints", "registerNode", "tracing", "localStorageCapacityIsolation",
            "containerRuntimeEndpoint", "imageServiceEndpoint", "failCgroupV1", "userNamespaces");

    static final Obj KUBELET_CONFIGURATION;

    static {
        Map<String, Field> f = new LinkedHashMap<>();
        f.put("apiVersion", new Field(STR, true));
        f.put("kind", new Field(STR, true));
        for (String name : KUBELET_FIELDS) {
            f.put(name, new Field(FREE, false));
        }
        // the ones Yoo sets, typed
        f.put("cgroupDriver", new Field(STR, false));
        f.put("volumePluginDir", new Field(STR, false));
        KUBELET_CONFIGURATION = new Obj("KubeletConfiguration", f);
    }

    /** apiVersion/kind → the document's type. */
    static final Map<String, Obj> DOCUMENTS = Map.of(
            "kubeadm.k8s.io/v1beta4/InitConfiguration", INIT_CONFIGURATION,
            "kubeadm.k8s.io/v1beta4/ClusterConfiguration", CLUSTER_CONFIGURATION,
            "kubeadm.k8s.io/v1beta4/JoinConfiguration", JOIN_CONFIGURATION,
            "kubelet.config.k8s.io/v1beta1/KubeletConfiguration", KUBELET_CONFIGURATION);
}
