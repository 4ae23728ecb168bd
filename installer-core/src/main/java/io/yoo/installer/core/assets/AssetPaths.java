package io.yoo.installer.core.assets;

import java.io.File;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The asset directory layout (served under {@code /assets/}), shared with the boot scripts:
 * <pre>
 * flatcar/{channel}/{version}/flatcar_production_pxe.vmlinuz
 * flatcar/{channel}/{version}/flatcar_production_pxe_image.cpio.gz
 * flatcar/{channel}/{version}/flatcar_production_image.bin.bz2 (+ .sig, .DIGESTS, version.txt)
 * kubernetes/{version}/bin/{kubeadm,kubelet,kubectl,crictl}
 * kubernetes/{version}/cni/cni-plugins.tgz
 * kubernetes/{version}/images/*.tar
 * kubernetes/{version}/SHA256SUMS
 * </pre>
 * and the checks every relative path from outside (URLs, bundles, manifests) goes through.
 */
public final class AssetPaths {
    public static final String FLATCAR_KERNEL = "flatcar_production_pxe.vmlinuz";
    public static final String FLATCAR_INITRD = "flatcar_production_pxe_image.cpio.gz";
    public static final String FLATCAR_IMAGE = "flatcar_production_image.bin.bz2";
    public static final String FLATCAR_VERSION_TXT = "version.txt";
    /** Where Yoo keeps its own bookkeeping inside the asset directory; never served. */
    public static final String META_DIR = ".yoo";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+@=-]+");
    private static final Pattern CHANNEL = Pattern.compile("stable|beta|alpha|lts|[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");

    private AssetPaths() {}

    public static String flatcarDir(String channel, String version) {
        return "flatcar/" + checkChannel(channel) + "/" + checkVersion(version);
    }

    public static String kubernetesDir(String version) {
        return "kubernetes/" + checkVersion(stripV(version));
    }

    public static String stripV(String version) {
        return version.startsWith("v") ? version.substring(1) : version;
    }

    public static String checkChannel(String channel) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("invalid Flatcar channel '" + channel + "' (stable, beta, alpha, lts)");
        }
        return channel;
    }

    public static String checkVersion(String version) {
        if (!VERSION.matcher(version).matches() || version.contains("..")) {
            throw new IllegalArgumentException("invalid version '" + version + "'");
        }
        return version;
    }

    /**
     * Checks an untrusted asset-relative path: forward slashes, no empty, {@code .} or
     * {@code ..} segments, no leading slash, only plain characters, not inside {@code .yoo/}.
     *
     * @return the path unchanged
     * @throws IllegalArgumentException naming the path and the rule it breaks
     */
    public static String checkRelative(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty asset path");
        }
        if (path.length() > 255) {
            throw new IllegalArgumentException("asset path too long: " + path.substring(0, 60) + "...");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("asset path '" + path + "' is absolute");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("asset path '" + path + "' has an empty, '.' or '..' segment");
            }
            if (!SEGMENT.matcher(seg).matches()) {
                throw new IllegalArgumentException("asset path '" + path + "' has characters outside [A-Za-z0-9._+@=-]");
            }
        }
        if (path.equals(META_DIR) || path.startsWith(META_DIR + "/")) {
            throw new IllegalArgumentException("asset path '" + path + "' is inside Yoo's private " + META_DIR + "/ directory");
        }
        return path;
    }

    /** Resolves a checked relative path inside {@code assetDir}; never escapes it. */
    public static Path resolve(Path assetDir, String relative) {
        Path root = assetDir.toAbsolutePath().normalize();
        Path p = root.resolve(checkRelative(relative)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("asset path '" + relative + "' escapes the asset directory");
        }
        return p;
    }

    /** The relative form of a file inside {@code assetDir}, with forward slashes. */
    public static String relativize(Path assetDir, Path file) {
        Path rel = assetDir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        return rel.toString().replace(File.separatorChar, '/');
    }
}
