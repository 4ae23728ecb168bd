package io.yoo.installer.core.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TFTP files of the Secure Boot chain: {@code shimx64.efi}, {@code grubx64.efi},
 * {@code mmx64.efi} at the TFTP root, from the verified asset mirror ({@code secureboot/NAME}) or
 * else from Debian's signed packages; and {@code assets/PATH}, the verified mirror's files, for the
 * signed GRUB that has no HTTP (see {@link SecureBootChain}). A file that is not verified in the
 * mirror is never served. Files are read once and kept in memory (they are immutable once
 * verified); one larger than {@link #MAX_BYTES} is refused with a log line, as TFTP would take
 * minutes for it anyway.
 */
public final class SecureBootFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecureBootFiles.class);
    /** Largest file served from memory (the test OS is 10 MB; a distribution's initrd some 60 MB). */
    public static final long MAX_BYTES = 256L * 1024 * 1024;

    private final Function<String, Optional<Path>> verified;
    private final Map<String, Path> system;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * @param verified the asset mirror: relative path → the file, only if verified and unchanged
     * @param system   where the system's packages keep the chain (normally {@link SecureBootChain#SYSTEM_FILES})
     */
    public SecureBootFiles(Function<String, Optional<Path>> verified, Map<String, Path> system) {
        this.verified = verified;
        this.system = Map.copyOf(system);
    }

    /** Where {@code name} (one of {@link SecureBootChain#FILES}) comes from, if anywhere. */
    public Optional<Path> source(String name) {
        return verified.apply(SecureBootChain.ASSET_DIR + name)
                .or(() -> Optional.ofNullable(system.get(name)).filter(Files::isRegularFile));
    }

    /** The file at TFTP {@code path}, or empty when it is none of the chain's. */
    public Optional<byte[]> find(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        Optional<Path> file;
        if (SecureBootChain.FILES.contains(p)) {
            file = source(p);
        } else if (p.startsWith(SecureBootChain.TFTP_ASSETS) && p.length() > SecureBootChain.TFTP_ASSETS.length()) {
            file = verified.apply(p.substring(SecureBootChain.TFTP_ASSETS.length()));
        } else {
            return Optional.empty();
        }
        return file.flatMap(f -> read(p, f));
    }

    private Optional<byte[]> read(String key, Path f) {
        byte[] cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            long size = Files.size(f);
            if (size > MAX_BYTES) {
                LOG.warn("tftp {}: {} is {} bytes, more than the {} served over TFTP", key, f, size, MAX_BYTES);
                return Optional.empty();
            }
            byte[] b = Files.readAllBytes(f);
            cache.putIfAbsent(key, b);
            return Optional.of(b);
        } catch (IOException e) {
            LOG.warn("tftp {}: cannot read {}: {}", key, f, e.toString());
            return Optional.empty();
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
