package io.yoo.installer.core.assets;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code yoo assets sync} should make present.
 *
 * @param flatcarChannel   e.g. {@code stable}; empty: no Flatcar
 * @param flatcarVersion   e.g. {@code 4081.2.0}; empty or {@code current}: the channel's current
 *                         release, read from its (signature-checked) {@code version.txt}
 * @param kubernetesVersion e.g. {@code 1.31.4}; empty: no Kubernetes
 * @param cniVersion       CNI plugins release, e.g. {@code 1.6.2}
 * @param crictlVersion    cri-tools release; empty: {@code <kubernetes major.minor>.0}
 * @param images           image archive names (or asset-relative paths) to fetch from
 *                         {@link MirrorSources#images()}, e.g. the descriptor's preloadImages
 * @param imageFiles       local image archives to import; each needs {@code <file>.sha256} beside it
 * @param arch             {@code amd64} or {@code arm64}
 */
public record SyncRequest(
        Optional<String> flatcarChannel,
        Optional<String> flatcarVersion,
        Optional<String> kubernetesVersion,
        String cniVersion,
        Optional<String> crictlVersion,
        List<String> images,
        List<Path> imageFiles,
        String arch) {

    public static final String DEFAULT_CNI = "1.6.2";

    public SyncRequest {
        images = List.copyOf(images);
        imageFiles = List.copyOf(imageFiles);
        flatcarChannel.ifPresent(AssetPaths::checkChannel);
        flatcarVersion.filter(v -> !v.equals("current")).ifPresent(AssetPaths::checkVersion);
        kubernetesVersion.map(AssetPaths::stripV).ifPresent(AssetPaths::checkVersion);
        AssetPaths.checkVersion(AssetPaths.stripV(cniVersion));
        crictlVersion.map(AssetPaths::stripV).ifPresent(AssetPaths::checkVersion);
        if (!arch.equals("amd64") && !arch.equals("arm64")) {
            throw new IllegalArgumentException("unsupported architecture '" + arch + "' (amd64, arm64)");
        }
        if (flatcarChannel.isEmpty() && kubernetesVersion.isEmpty() && images.isEmpty() && imageFiles.isEmpty()) {
            throw new IllegalArgumentException("nothing to sync: give --flatcar CHANNEL[:VERSION] and/or --kubernetes VERSION");
        }
        if (kubernetesVersion.isEmpty() && (!images.isEmpty() || !imageFiles.isEmpty())) {
            throw new IllegalArgumentException("image archives live under kubernetes/<version>/images: give --kubernetes VERSION");
        }
    }

    /** Parses {@code CHANNEL[:VERSION]} as given to {@code --flatcar}. */
    public static String[] parseFlatcar(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? new String[] {spec, "current"} : new String[] {spec.substring(0, colon), spec.substring(colon + 1)};
    }

    public String crictlOrDefault() {
        return crictlVersion.map(AssetPaths::stripV).orElseGet(() -> {
            String[] p = AssetPaths.stripV(kubernetesVersion.orElseThrow()).split("\\.");
            return p[0] + "." + (p.length > 1 ? p[1] : "0") + ".0";
        });
    }
}
