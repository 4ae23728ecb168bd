package io.yoo.installer.core.config.kubeadm;

import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Bool;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Duration;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Field;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Free;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Int;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.ListOf;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.MapOf;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Obj;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Str;
import io.yoo.installer.core.config.kubeadm.KubeadmV1beta4.Type;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks a rendered kubeadm config (all its YAML documents) the way {@code kubeadm init/join
 * --config} would: strict decoding against {@link KubeadmV1beta4} (unknown field, wrong type,
 * missing required field), then the rules of kubeadm's
 * {@code cmd/kubeadm/app/apis/kubeadm/validation/validation.go} (read at commit 00d24de699fe)
 * applied after kubeadm's own defaults (caCertPath, certificatesDir, dnsDomain, etcd dataDir,
 * encryptionAlgorithm, tlsBootstrapToken = discovery token):
 * bootstrap token format {@code [a-z0-9]{6}.[a-z0-9]{16}}, usages and groups, ttl/expires
 * exclusive; node name a DNS-1123 subdomain, CRI socket a {@code unix://} URL, extra args named,
 * image pull policy; advertise address an IP and bind port 1-65535; certificate key 32 hex bytes;
 * service subnet ≥ 10 addresses and at most 20 host bits; pod subnet ≥ 254 addresses and within
 * 16 bits of the node mask (24); dnsDomain a DNS-1123 subdomain; certSANs; absolute
 * certificatesDir / etcd dataDir; controlPlaneEndpoint host[:port]; exactly one of local/external
 * etcd; discovery: exactly one of bootstrapToken/file, apiServerEndpoint host:port, caCertHashes
 * required (each {@code sha256:<64 hex>}); caCertPath absolute ending in .crt.
 */
final class KubeadmDocumentCheck {
    static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    static final Pattern GROUP = Pattern.compile("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]");
    static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern GO_DURATION = Pattern.compile("0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");
    static final Pattern CA_HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    static final Pattern SEMVER = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
    static final Set<String> USAGES = Set.of("signing", "authentication");
    static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    static final Set<String> ALGORITHMS = Set.of("ECDSA-P256", "RSA-2048", "RSA-3072", "RSA-4096");
    static final int MIN_SERVICE_ADDRESSES = 10;
    static final int MIN_POD_ADDRESSES = 254;
    static final int MAX_SERVICE_HOST_BITS = 20;
    static final int NODE_MASK_V4 = 24;
    static final int POD_NODE_MASK_MAX_DIFF = 16;

    private final List<String> problems = new ArrayList<>();

    private KubeadmDocumentCheck() {}

    /** Every problem as {@code Kind.path: message}; empty when kubeadm would accept the file. */
    static List<String> problems(String yaml) {
        KubeadmDocumentCheck c = new KubeadmDocumentCheck();
        Yaml y = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : y.loadAll(yaml)) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?> m)) {
                c.problems.add("document: not a mapping");
                continue;
            }
            c.document(m);
        }
        return c.problems;
    }

    private void document(Map<?, ?> doc) {
        String key = doc.get("apiVersion") + "/" + doc.get("kind");
        Obj type = KubeadmV1beta4.DOCUMENTS.get(key);
        if (type == null) {
            problems.add(key + ": not a kind kubeadm v1beta4 reads");
            return;
        }
        String kind = type.name();
        shape(kind, doc, type);
        switch (kind) {
            case "InitConfiguration" -> init(doc);
            case "ClusterConfiguration" -> cluster(doc);
            case "JoinConfiguration" -> join(doc);
            case "KubeletConfiguration" -> kubelet(doc);
            default -> { }
        }
    }

    // ---- strict decoding ----------------------------------------------------------------------

    private void shape(String path, Object value, Type type) {
        switch (type) {
            case Str s -> expect(path, value instanceof String, "a string", value);
            case Int i -> expect(path, value instanceof Integer || value instanceof Long || value instanceof BigInteger, "an integer", value);
            case Bool b -> expect(path, value instanceof Boolean, "a boolean", value);
            case Duration d -> {
                if (expect(path, value instanceof String, "a duration string", value) && !GO_DURATION.matcher((String) value).matches()) {
                    problems.add(path + ": '" + value + "' is not a Go duration (e.g. 24h0m0s)");
                }
            }
            case Free f -> { }
            case ListOf l -> {
                if (expect(path, value instanceof List<?>, "a list", value)) {
                    List<?> list = (List<?>) value;
                    for (int i = 0; i < list.size(); i++) {
                        shape(path + "[" + i + "]", list.get(i), l.element());
                    }
                }
            }
            case MapOf m -> {
                if (expect(path, value instanceof Map<?, ?>, "a map", value)) {
                    ((Map<?, ?>) value).forEach((k, v) -> shape(path + "." + k, v, m.value()));
                }
            }
            case Obj o -> {
                if (!expect(path, value instanceof Map<?, ?>, "an object (" + o.name() + ")", value)) {
                    return;
                }
                Map<?, ?> map = (Map<?, ?>) value;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Field f = o.fields().get(String.valueOf(e.getKey()));
                    if (f == null) {
                        problems.add(path + "." + e.getKey() + ": unknown field in " + o.name() + " (kubeadm decodes strictly)");
                    } else if (e.getValue() != null) {
                        shape(path + "." + e.getKey(), e.getValue(), f.type());
                    }
                }
                o.fields().forEach((name, f) -> {
                    if (f.required() && map.get(name) == null) {
                        problems.add(path + "." + name + ": required field of " + o.name() + " is missing");
                    }
                });
            }
        }
    }

    private boolean expect(String path, boolean ok, String what, Object value) {
        if (!ok) {
            problems.add(path + ": " + (value == null ? "null" : "'" + value + "' (" + value.getClass().getSimpleName() + ")")
                    + " is not " + what);
        }
        return ok;
    }

    // ---- validation.go ------------------------------------------------------------------------

    private void init(Map<?, ?> d) {
        nodeRegistration("InitConfiguration.nodeRegistration", map(d, "nodeRegistration"));
        List<?> tokens = list(d, "bootstrapTokens");
        for (int i = 0; i < tokens.size(); i++) {
            Map<?, ?> t = tokens.get(i) instanceof Map<?, ?> m ? m : Map.of();
            String p = "InitConfiguration.bootstrapTokens[" + i + "]";
            token(p + ".token", str(t, "token"));
            List<?> usages = list(t, "usages");
            for (Object u : usages) {
                if (!USAGES.contains(String.valueOf(u))) {
                    problems.add(p + ".usages: '" + u + "' is not one of " + USAGES);
                }
            }
            List<?> groups = list(t, "groups");
            if (!groups.isEmpty() && !usages.contains("authentication")) {
                problems.add(p + ".groups: token groups cannot be specified unless usages include \"authentication\"");
            }
            for (Object g : groups) {
                if (!GROUP.matcher(String.valueOf(g)).matches()) {
                    problems.add(p + ".groups: '" + g + "' does not match " + GROUP.pattern());
                }
            }
            if (t.get("ttl") != null && t.get("expires") != null) {
                problems.add(p + ": the BootstrapToken .TTL and .Expires fields are mutually exclusive");
            }
        }
        apiEndpoint("InitConfiguration.localAPIEndpoint", map(d, "localAPIEndpoint"));
        certificateKey("InitConfiguration.certificateKey", str(d, "certificateKey"));
    }

    private void cluster(Map<?, ?> d) {
        String p = "ClusterConfiguration";
        Map<?, ?> net = map(d, "networking");
        String domain = str(net, "dnsDomain").isEmpty() ? "cluster.local" : str(net, "dnsDomain");
        if (!isDns1123Subdomain(domain)) {
            problems.add(p + ".networking.dnsDomain: '" + domain + "' is not a DNS-1123 subdomain");
        }
        String service = str(net, "serviceSubnet");
        if (!service.isEmpty()) {
            for (String s : service.split(",")) {
                int prefix = cidrPrefix(p + ".networking.serviceSubnet", s);
                if (prefix >= 0 && size(prefix) < MIN_SERVICE_ADDRESSES) {
                    problems.add(p + ".networking.serviceSubnet: " + s + " has fewer than " + MIN_SERVICE_ADDRESSES + " addresses");
                }
                if (prefix >= 0 && 32 - prefix > MAX_SERVICE_HOST_BITS) {
                    problems.add(p + ".networking.serviceSubnet: " + s + " is too large; for 32-bit addresses, the mask must be >= " + (32 - MAX_SERVICE_HOST_BITS));
                }
            }
        }
        String pod = str(net, "podSubnet");
        if (!pod.isEmpty()) {
            for (String s : pod.split(",")) {
                int prefix = cidrPrefix(p + ".networking.podSubnet", s);
                if (prefix >= 0 && size(prefix) < MIN_POD_ADDRESSES) {
                    problems.add(p + ".networking.podSubnet: " + s + " has fewer than " + MIN_POD_ADDRESSES + " addresses");
                }
                if (prefix > NODE_MASK_V4) {
                    problems.add(p + ".networking.podSubnet: the size of pod subnet with mask " + prefix + " is smaller than the node subnet (/" + NODE_MASK_V4 + ")");
                } else if (prefix >= 0 && NODE_MASK_V4 - prefix > POD_NODE_MASK_MAX_DIFF) {
                    problems.add(p + ".networking.podSubnet: pod subnet mask (" + prefix + ") and node-mask (" + NODE_MASK_V4 + ") differ by more than " + POD_NODE_MASK_MAX_DIFF);
                }
            }
        }
        Map<?, ?> apiServer = map(d, "apiServer");
        for (Object san : list(apiServer, "certSANs")) {
            String s = String.valueOf(san);
            if (!isDns1123Subdomain(s) && !isDns1123Subdomain(s.replaceFirst("^\\*\\.", "")) && !isIp(s)) {
                problems.add(p + ".apiServer.certSANs: '" + s + "' is not an IP address, DNS name or wildcard DNS name");
            }
        }
        extraArgs(p + ".apiServer.extraArgs", list(apiServer, "extraArgs"));
        extraArgs(p + ".controllerManager.extraArgs", list(map(d, "controllerManager"), "extraArgs"));
        extraArgs(p + ".scheduler.extraArgs", list(map(d, "scheduler"), "extraArgs"));
        absolute(p + ".certificatesDir", str(d, "certificatesDir").isEmpty() ? "/etc/kubernetes/pki" : str(d, "certificatesDir"));
        String endpoint = str(d, "controlPlaneEndpoint");
        if (!endpoint.isEmpty() && !isHostPort(endpoint, false)) {
            problems.add(p + ".controlPlaneEndpoint: '" + endpoint + "' is not a valid endpoint (IP or DNS-1123 subdomain, optional :port)");
        }
        String version = str(d, "kubernetesVersion");
        if (!version.isEmpty() && !SEMVER.matcher(version).matches()) {
            problems.add(p + ".kubernetesVersion: '" + version + "' is not a version like v1.32.3");
        }
        Map<?, ?> etcd = map(d, "etcd");
        boolean local = etcd.get("local") != null;
        boolean external = etcd.get("external") != null;
        if (local == external) {
            problems.add(p + ".etcd: " + (local ? ".Etcd.Local and .Etcd.External are mutually exclusive" : "either .Etcd.Local or .Etcd.External is required"));
        }
        if (local) {
            Map<?, ?> l = map(etcd, "local");
            absolute(p + ".etcd.local.dataDir", str(l, "dataDir").isEmpty() ? "/var/lib/etcd" : str(l, "dataDir"));
            extraArgs(p + ".etcd.local.extraArgs", list(l, "extraArgs"));
        }
        String algorithm = str(d, "encryptionAlgorithm").isEmpty() ? "RSA-2048" : str(d, "encryptionAlgorithm");
        if (!ALGORITHMS.contains(algorithm)) {
            problems.add(p + ".encryptionAlgorithm: '" + algorithm + "' is not one of " + ALGORITHMS);
        }
    }

    private void join(Map<?, ?> d) {
        String p = "JoinConfiguration";
        Map<?, ?> discovery = map(d, "discovery");
        boolean token = discovery.get("bootstrapToken") != null;
        boolean file = discovery.get("file") != null;
        if (!token && !file) {
            problems.add(p + ".discovery: bootstrapToken or file must be set");
        }
        if (token && file) {
            problems.add(p + ".discovery: bootstrapToken and file cannot both be set");
        }
        if (token) {
            Map<?, ?> b = map(discovery, "bootstrapToken");
            String endpoint = str(b, "apiServerEndpoint");
            if (endpoint.isEmpty()) {
                problems.add(p + ".discovery.bootstrapToken: APIServerEndpoint is not set");
            } else if (!isHostPort(endpoint, true)) {
                problems.add(p + ".discovery.bootstrapToken.apiServerEndpoint: '" + endpoint + "' is not host:port");
            }
            List<?> hashes = list(b, "caCertHashes");
            if (hashes.isEmpty() && !Boolean.TRUE.equals(b.get("unsafeSkipCAVerification"))) {
                problems.add(p + ".discovery.bootstrapToken.caCertHashes: token-based discovery without caCertHashes is unsafe");
            }
            for (Object h : hashes) {
                if (!CA_HASH.matcher(String.valueOf(h)).matches()) {
                    problems.add(p + ".discovery.bootstrapToken.caCertHashes: '" + h + "' is not sha256:<64 hex digits>");
                }
            }
            token(p + ".discovery.bootstrapToken.token", str(b, "token"));
            // defaulted to the discovery token when empty
            String tls = str(discovery, "tlsBootstrapToken").isEmpty() ? str(b, "token") : str(discovery, "tlsBootstrapToken");
            token(p + ".discovery.tlsBootstrapToken", tls);
        }
        nodeRegistration(p + ".nodeRegistration", map(d, "nodeRegistration"));
        if (d.get("controlPlane") != null) {
            Map<?, ?> cp = map(d, "controlPlane");
            apiEndpoint(p + ".controlPlane.localAPIEndpoint", map(cp, "localAPIEndpoint"));
            certificateKey(p + ".controlPlane.certificateKey", str(cp, "certificateKey"));
        }
        String ca = str(d, "caCertPath").isEmpty() ? "/etc/kubernetes/pki/ca.crt" : str(d, "caCertPath");
        if (!ca.startsWith("/") || !ca.endsWith(".crt")) {
            problems.add(p + ".caCertPath: the ca certificate path must be an absolute path ending in .crt");
        }
    }

    private void kubelet(Map<?, ?> d) {
        String driver = str(d, "cgroupDriver");
        if (!driver.isEmpty() && !Set.of("systemd", "cgroupfs").contains(driver)) {
            problems.add("KubeletConfiguration.cgroupDriver: '" + driver + "' is not systemd or cgroupfs");
        }
        String dir = str(d, "volumePluginDir");
        if (!dir.isEmpty()) {
            absolute("KubeletConfiguration.volumePluginDir", dir);
        }
    }

    private void nodeRegistration(String p, Map<?, ?> n) {
        String name = str(n, "name");
        if (name.isEmpty()) {
            problems.add(p + ".name: required (this check cannot detect a hostname)");
        } else if (!isDns1123Subdomain(name)) {
            problems.add(p + ".name: '" + name + "' is not a DNS-1123 subdomain");
        }
        String socket = str(n, "criSocket");
        if (socket.isEmpty()) {
            problems.add(p + ".criSocket: empty CRI socket");
        } else {
            try {
                if (!"unix".equals(new URI(socket).getScheme())) {
                    problems.add(p + ".criSocket: only URL scheme \"unix\" is supported: '" + socket + "'");
                }
            } catch (URISyntaxException e) {
                problems.add(p + ".criSocket: URL parsing error: " + e.getMessage());
            }
        }
        extraArgs(p + ".kubeletExtraArgs", list(n, "kubeletExtraArgs"));
        String policy = str(n, "imagePullPolicy");
        if (!policy.isEmpty() && !PULL_POLICIES.contains(policy)) {
            problems.add(p + ".imagePullPolicy: '" + policy + "' is not one of " + PULL_POLICIES);
        }
    }

    private void apiEndpoint(String p, Map<?, ?> e) {
        if (!isIp(str(e, "advertiseAddress"))) {
            problems.add(p + ".advertiseAddress: '" + str(e, "advertiseAddress") + "': ip address is not valid");
        }
        Object port = e.get("bindPort");
        int n = port instanceof Integer i ? i : 6443; // defaulted
        if (n < 1 || n > 65535) {
            problems.add(p + ".bindPort: " + n + ": port number is not valid");
        }
    }

    private void certificateKey(String p, String key) {
        if (!key.isEmpty() && !key.matches("([0-9a-fA-F]{2}){32}")) {
            problems.add(p + ": not a hex-encoded AES key of 32 bytes");
        }
    }

    private void token(String p, String token) {
        if (!TOKEN.matcher(token).matches()) {
            problems.add(p + ": '" + token + "': the bootstrap token is invalid");
        }
    }

    private void extraArgs(String p, List<?> args) {
        for (int i = 0; i < args.size(); i++) {
            if (!(args.get(i) instanceof Map<?, ?> a) || str(a, "name").isEmpty()) {
                problems.add(p + ": index " + i + ": argument has no name");
            }
        }
    }

    private void absolute(String p, String path) {
        if (!path.startsWith("/")) {
            problems.add(p + ": '" + path + "': path is not absolute");
        }
    }

    /** -1 (reported) when not an IPv4 CIDR. */
    private int cidrPrefix(String p, String cidr) {
        String[] parts = cidr.trim().split("/", -1);
        if (parts.length != 2 || !isIp(parts[0]) || !parts[1].matches("[0-9]{1,2}") || Integer.parseInt(parts[1]) > 32) {
            problems.add(p + ": '" + cidr + "': couldn't parse subnet");
            return -1;
        }
        return Integer.parseInt(parts[1]);
    }

    private static long size(int prefix) {
        return 1L << (32 - prefix);
    }

    static boolean isDns1123Subdomain(String s) {
        return s.length() <= 253 && DNS1123_SUBDOMAIN.matcher(s).matches()
                && Arrays.stream(s.split("\\.")).allMatch(l -> l.length() <= 63);
    }

    static boolean isIp(String s) {
        if (!s.matches("[0-9.]+") && !s.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(s); // literal only: no lookup for these shapes
            return s.contains(":") || s.matches("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** kubeadmutil.ParseHostPort (port optional) or net.SplitHostPort (port required). */
    static boolean isHostPort(String endpoint, boolean portRequired) {
        String host = endpoint;
        int colon = endpoint.lastIndexOf(':');
        if (colon >= 0) {
            host = endpoint.substring(0, colon);
            String port = endpoint.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return false;
            }
        } else if (portRequired) {
            return false;
        }
        return isIp(host) || isDns1123Subdomain(host);
    }

    private static Map<?, ?> map(Map<?, ?> m, String key) {
        return m.get(key) instanceof Map<?, ?> v ? v : Map.of();
    }

    private static List<?> list(Map<?, ?> m, String key) {
        return m.get(key) instanceof List<?> v ? v : List.of();
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String v ? v : "";
    }
}
