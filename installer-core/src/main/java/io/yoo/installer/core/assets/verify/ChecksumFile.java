package io.yoo.installer.core.assets.verify;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses the checksum files release servers publish, and finds the digest of one file in them.
 * Understood forms: a bare digest ({@code kubeadm.sha256} on dl.k8s.io, crictl's
 * {@code .sha256}); {@code sha256sum} lines "{@code <hex>  <name>}" or "{@code <hex> *<name>}"
 * (CNI plugins, SHA256SUMS); and Flatcar's {@code DIGESTS}, which lists MD5/SHA1/SHA512 blocks
 * under "{@code # SHA512 HASH}" headers (only the block of the wanted algorithm counts).
 */
public final class ChecksumFile {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    private ChecksumFile() {}

    /**
     * @param text      the checksum file's content
     * @param algorithm sha256 or sha512
     * @param fileName  the base name of the file whose digest is wanted
     * @return the digest, lower-case hex, if the file lists it
     */
    public static Optional<String> find(String text, String algorithm, String fileName) {
        String alg = Digests.normalise(algorithm);
        int len = Digests.hexLength(alg);
        String wantedHeader = alg.replace("-", "");
        String[] lines = text.split("\r?\n");
        // A single bare digest: the whole file is the checksum of the file it sits next to.
        String trimmed = text.strip();
        if (!trimmed.contains("\n") && trimmed.length() == len && HEX.matcher(trimmed).matches()) {
            return Optional.of(trimmed.toLowerCase(Locale.ROOT));
        }
        String block = null; // null: no "# X HASH" headers seen yet, so every line counts
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String h = line.substring(1).strip().toUpperCase(Locale.ROOT);
                if (h.endsWith(" HASH")) {
                    block = h.substring(0, h.length() - " HASH".length()).replace("-", "").strip();
                }
                continue;
            }
            if (block != null && !block.equals(wantedHeader)) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2 || parts[0].length() != len || !HEX.matcher(parts[0]).matches()) {
                continue;
            }
            String name = parts[1].strip();
            if (name.startsWith("*")) {
                name = name.substring(1);
            }
            if (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (name.equals(fileName) || name.endsWith("/" + fileName)) {
                return Optional.of(parts[0].toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
