package io.yoo.installer.core.assets;

import java.time.Instant;

/**
 * One verified file in {@code .yoo/verified.json}.
 *
 * @param path       asset-relative path
 * @param size       bytes, at verification time
 * @param sha256     hex digest, at verification time
 * @param mtimeMillis the file's modification time right after it was moved into place: a change
 *                   of size or mtime makes the catalog re-hash before serving it again
 * @param source     where it came from (URL, bundle, directory)
 * @param verifiedBy how: {@code openpgp:<key id>}, {@code sha256:<checksum url>},
 *                   {@code sha512:<checksum url>}, {@code generated}
 * @param verifiedAt when
 */
public record ManifestEntry(String path, long size, String sha256, long mtimeMillis, String source, String verifiedBy, Instant verifiedAt) {}
