package io.yoo.installer.core.assets.oci;

import java.util.regex.Pattern;

/**
 * A container image name with a tag, as containerd and kubeadm spell it:
 * {@code registry.k8s.io/kube-apiserver:v1.32.3}, {@code docker.io/flannel/flannel:v0.26.1}.
 * Always fully qualified (a registry host is required): names reach URLs and file names, so
 * every part is checked against the distribution spec's grammar.
 *
 * @param registry   host[:port] as written in the name ({@code docker.io} stays {@code docker.io})
 * @param repository path below the registry, e.g. {@code coredns/coredns}
 * @param tag        e.g. {@code v1.11.3}
 */
public record ImageReference(String registry, String repository, String tag) {
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public ImageReference {
        if (!HOST.matcher(registry).matches()) {
            throw new IllegalArgumentException("image registry '" + registry + "' is not a host name");
        }
        if (repository.length() > 255 || repository.isEmpty()) {
            throw new IllegalArgumentException("image repository '" + repository + "' is empty or too long");
        }
        for (String c : repository.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new IllegalArgumentException("image repository '" + repository + "' has an invalid component '" + c + "'");
            }
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("image tag '" + tag + "' is not valid");
        }
    }

    /** Parses {@code host/path:tag}; the host part is required (no implicit docker.io). */
    public static ImageReference parse(String name) {
        int slash = name.indexOf('/');
        int colon = name.lastIndexOf(':');
        if (slash <= 0 || colon <= slash) {
            throw new IllegalArgumentException("image '" + name + "' must be registry/repository:tag");
        }
        return new ImageReference(name.substring(0, slash), name.substring(slash + 1, colon), name.substring(colon + 1));
    }

    /** The name containerd records on import and kubelet asks for. */
    public String name() {
        return registry + "/" + repository + ":" + tag;
    }

    /** A file name for the archive of this image: {@code registry.k8s.io_kube-apiserver_v1.32.3.tar}. */
    public String archiveName() {
        return (registry.replace(':', '_') + "_" + repository.replace('/', '_') + "_" + tag + ".tar");
    }

    @Override
    public String toString() {
        return name();
    }
}
