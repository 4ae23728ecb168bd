package io.yoo.installer.core.assets;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One file to make present, and how it is verified. Planned by {@link AssetSync#plan}. */
public sealed interface AssetJob {

    /** Asset-relative path it ends up at. */
    String target();

    /** Every asset path this job installs (the target plus any companions such as {@code .sig}). */
    default List<String> installs() {
        return List.of(target());
    }

    /**
     * A file with a detached OpenPGP signature {@code signatureUrl} (Flatcar). Installs the file
     * and its {@code .sig}; with {@code digestsUrl}, also {@code <target>.DIGESTS}, whose SHA-512
     * line must match the signed file.
     */
    record Signed(String target, URI url, URI signatureUrl, Optional<URI> digestsUrl) implements AssetJob {
        @Override
        public List<String> installs() {
            return digestsUrl.isPresent() ? List.of(target, target + ".sig", target + ".DIGESTS") : List.of(target, target + ".sig");
        }
    }

    /** A file whose digest ({@code sha256}/{@code sha512}) is published in {@code checksumUrl}. */
    record Checksummed(String target, URI url, URI checksumUrl, String algorithm, String nameInChecksums) implements AssetJob {}

    /** One member of a checksummed {@code .tar.gz} (crictl ships as a tarball; the layout wants the binary). */
    record FromArchive(String target, URI archiveUrl, URI checksumUrl, String algorithm, String archiveName, String member)
            implements AssetJob {}

    /** A local file (e.g. an image archive made with {@code ctr export}) with a checksum file beside it. */
    record LocalFile(String target, Path file, Path checksumFile) implements AssetJob {}

    /**
     * A local file whose digest the operator states ({@code yoo assets add}): for assets no
     * release server signs, such as {@code tools/flatcar-install} or {@code ipxe/*.efi}.
     */
    record KnownDigest(String target, Path file, String algorithm, String hex) implements AssetJob {}
}
