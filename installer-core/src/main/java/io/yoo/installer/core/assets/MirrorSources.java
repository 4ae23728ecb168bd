package io.yoo.installer.core.assets;

import java.net.URI;
import java.util.Optional;

/**
 * Where {@code yoo assets sync} downloads from. Each is a URL template of a directory;
 * {@code {channel}}, {@code {version}} and {@code {arch}} are substituted and the file name is
 * appended. Defaults are the official release servers; point them at any mirror that keeps the
 * same file names (an internal HTTP server, a Nexus/Artifactory raw repository...).
 *
 * @param flatcar    Flatcar release directory
 * @param kubernetes kubeadm/kubelet/kubectl directory (with {@code <file>.sha256})
 * @param cni        CNI plugins release directory
 * @param crictl     cri-tools release directory
 * @param images     container image archives directory ({@code <name>.tar} + {@code <name>.tar.sha256})
 */
public record MirrorSources(String flatcar, String kubernetes, String cni, String crictl, Optional<String> images) {

    public static final String FLATCAR = "https://{channel}.release.flatcar-linux.net/{arch}-usr/{version}/";
    public static final String KUBERNETES = "https://dl.k8s.io/release/v{version}/bin/linux/{arch}/";
    public static final String CNI = "https://github.com/containernetworking/plugins/releases/download/v{version}/";
    public static final String CRICTL = "https://github.com/kubernetes-sigs/cri-tools/releases/download/v{version}/";

    public static MirrorSources defaults() {
        return new MirrorSources(FLATCAR, KUBERNETES, CNI, CRICTL, Optional.empty());
    }

    public URI flatcarFile(String channel, String version, String arch, String file) {
        return URI.create(dir(flatcar, channel, version, arch) + file);
    }

    public URI kubernetesFile(String version, String arch, String file) {
        return URI.create(dir(kubernetes, "", version, arch) + file);
    }

    public URI cniFile(String version, String arch, String file) {
        return URI.create(dir(cni, "", version, arch) + file);
    }

    public URI crictlFile(String version, String arch, String file) {
        return URI.create(dir(crictl, "", version, arch) + file);
    }

    public Optional<URI> imageFile(String file) {
        return images.map(i -> URI.create(dir(i, "", "", "") + file));
    }

    private static String dir(String template, String channel, String version, String arch) {
        String s = template.replace("{channel}", channel).replace("{version}", version).replace("{arch}", arch);
        return s.endsWith("/") ? s : s + "/";
    }
}
