package io.yoo.installer.core.assets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code yoo assets list}: which Flatcar versions per channel and which Kubernetes versions the
 * asset directory holds, whether each is complete, and which recorded files went stale.
 */
public final class AssetListing {
    /** What a Flatcar version needs to PXE-boot and install. */
    public static final List<String> FLATCAR_REQUIRED = List.of(
            AssetPaths.FLATCAR_KERNEL, AssetPaths.FLATCAR_INITRD, AssetPaths.FLATCAR_IMAGE, AssetPaths.FLATCAR_IMAGE + ".sig",
            AssetPaths.FLATCAR_VERSION_TXT);
    /** What a Kubernetes version needs for the install script. */
    public static final List<String> KUBERNETES_REQUIRED = List.of("bin/kubeadm", "bin/kubelet", "bin/kubectl", "bin/crictl", "cni/cni-plugins.tgz");

    /** One version directory: present files, missing required ones, stale ones. */
    public record VersionDir(String path, String version, int present, List<String> missing, List<String> stale) {
        public boolean complete() {
            return missing.isEmpty() && stale.isEmpty();
        }
    }

    public record Listing(Map<String, List<VersionDir>> flatcarByChannel, List<VersionDir> kubernetes, List<String> other) {}

    private AssetListing() {}

    public static Listing of(AssetCatalog catalog) {
        Map<String, Map<String, List<ManifestEntry>>> flatcar = new TreeMap<>();
        Map<String, List<ManifestEntry>> k8s = new TreeMap<>();
        List<String> other = new ArrayList<>();
        for (ManifestEntry e : catalog.entries()) {
            String[] p = e.path().split("/");
            if (p[0].equals("flatcar") && p.length >= 4) {
                flatcar.computeIfAbsent(p[1], k -> new TreeMap<>()).computeIfAbsent(p[2], k -> new ArrayList<>()).add(e);
            } else if (p[0].equals("kubernetes") && p.length >= 3) {
                k8s.computeIfAbsent(p[1], k -> new ArrayList<>()).add(e);
            } else {
                other.add(e.path());
            }
        }
        Map<String, List<VersionDir>> byChannel = new TreeMap<>();
        flatcar.forEach((channel, versions) -> versions.forEach((v, entries) -> byChannel.computeIfAbsent(channel, k -> new ArrayList<>())
                .add(dir(catalog, "flatcar/" + channel + "/" + v, v, entries, FLATCAR_REQUIRED))));
        List<VersionDir> kube = new ArrayList<>();
        k8s.forEach((v, entries) -> kube.add(dir(catalog, "kubernetes/" + v, v, entries, KUBERNETES_REQUIRED)));
        return new Listing(byChannel, kube, other);
    }

    private static VersionDir dir(AssetCatalog catalog, String dir, String version, List<ManifestEntry> entries, List<String> required) {
        int present = 0;
        List<String> stale = new ArrayList<>();
        Set<String> presentNames = new HashSet<>();
        for (ManifestEntry e : entries) {
            String rel = e.path().substring(dir.length() + 1);
            if (catalog.status(e.path()) == AssetStatus.PRESENT) {
                present++;
                presentNames.add(rel);
            } else {
                stale.add(rel);
            }
        }
        List<String> missing = required.stream().filter(r -> !presentNames.contains(r) && !stale.contains(r)).toList();
        return new VersionDir(dir, version, present, missing, stale);
    }

    /** Human-readable table, one line per version. */
    public static String render(Listing l) {
        StringBuilder sb = new StringBuilder();
        if (l.flatcarByChannel().isEmpty() && l.kubernetes().isEmpty() && l.other().isEmpty()) {
            return "no verified assets yet (run: yoo assets sync --flatcar stable --kubernetes VERSION)\n";
        }
        l.flatcarByChannel().forEach((channel, dirs) -> {
            sb.append("flatcar ").append(channel).append(":\n");
            dirs.forEach(d -> line(sb, d));
        });
        if (!l.kubernetes().isEmpty()) {
            sb.append("kubernetes:\n");
            l.kubernetes().forEach(d -> line(sb, d));
        }
        if (!l.other().isEmpty()) {
            sb.append("other: ").append(l.other().size()).append(" verified files\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, VersionDir d) {
        sb.append(String.format("  %-14s %-10s %3d files", d.version(), d.complete() ? "complete" : "INCOMPLETE", d.present()));
        if (!d.missing().isEmpty()) {
            sb.append("  missing: ").append(String.join(", ", d.missing()));
        }
        if (!d.stale().isEmpty()) {
            sb.append("  STALE (changed since verified, not served): ").append(String.join(", ", d.stale()));
        }
        sb.append('\n');
    }
}
