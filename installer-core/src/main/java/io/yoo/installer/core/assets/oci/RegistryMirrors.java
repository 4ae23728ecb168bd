package io.yoo.installer.core.assets.oci;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which base URL serves the distribution API of each registry named in image references. By
 * default {@code https://<registry>} ({@code docker.io} → {@code https://registry-1.docker.io});
 * a mirror ({@code --registry-mirror registry.k8s.io=http://10.0.0.5:5000}) replaces it for an
 * air-gapped site's internal registry. The image keeps its original name in the archive, so
 * containerd and kubeadm see {@code registry.k8s.io/...} whatever served it.
 */
public final class RegistryMirrors {
    private final Map<String, URI> mirrors;

    private RegistryMirrors(Map<String, URI> mirrors) {
        this.mirrors = Map.copyOf(mirrors);
    }

    public static RegistryMirrors none() {
        return new RegistryMirrors(Map.of());
    }

    /** Parses {@code REGISTRY=URL} items; URL must be http(s) with a host and no path, query or credentials. */
    public static RegistryMirrors parse(List<String> specs) {
        Map<String, URI> m = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("registry mirror '" + s + "' must be REGISTRY=URL, e.g. registry.k8s.io=http://10.0.0.5:5000");
            }
            String registry = s.substring(0, eq);
            new ImageReference(registry, "x", "x"); // checks the host syntax
            URI url;
            try {
                url = URI.create(s.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("registry mirror '" + s + "': " + e.getMessage());
            }
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
                    || url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                    || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
                throw new IllegalArgumentException("registry mirror '" + s + "': the URL must be http(s)://host[:port] with nothing after it");
            }
            m.put(registry, URI.create(url.getScheme() + "://" + url.getRawAuthority()));
        }
        return new RegistryMirrors(m);
    }

    /** The base URL (scheme://host[:port]) serving {@code registry}'s API. */
    public URI baseFor(String registry) {
        URI m = mirrors.get(registry);
        if (m != null) {
            return m;
        }
        return URI.create("https://" + (registry.equals("docker.io") ? "registry-1.docker.io" : registry));
    }
}
