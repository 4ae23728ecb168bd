package io.yoo.installer.core.assets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The record of which files in an asset directory passed verification:
 * {@code <assetDir>/.yoo/verified.json}, a JSON object {@code {"format":1,"files":[ManifestEntry...]}}.
 * Written atomically (temp file + rename) so a reader never sees half a manifest. Thread-safe
 * within one process; one writer process at a time (the CLI's sync/import).
 */
public final class VerifiedManifest {
    public static final String FILE = AssetPaths.META_DIR + "/verified.json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path file;
    private final Map<String, ManifestEntry> entries = new TreeMap<>();

    private VerifiedManifest(Path file) {
        this.file = file;
    }

    /** Loads the manifest of {@code assetDir} (empty if none yet). */
    public static VerifiedManifest load(Path assetDir) throws IOException {
        VerifiedManifest m = new VerifiedManifest(assetDir.resolve(FILE));
        if (Files.exists(m.file)) {
            m.entries.putAll(read(m.file));
        }
        return m;
    }

    /** Reads a manifest file; entries whose path breaks the layout rules are an error. */
    public static Map<String, ManifestEntry> read(Path file) throws IOException {
        Doc doc;
        try {
            doc = JSON.readValue(file.toFile(), Doc.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a Yoo verified-assets manifest: " + e.getMessage(), e);
        }
        Map<String, ManifestEntry> out = new TreeMap<>();
        for (Stored s : Optional.ofNullable(doc.files()).orElse(List.of())) {
            try {
                AssetPaths.checkRelative(s.path());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage());
            }
            out.put(s.path(), new ManifestEntry(s.path(), s.size(), s.sha256(), s.mtimeMillis(), s.source(), s.verifiedBy(),
                    s.verifiedAt() == null ? Instant.EPOCH : Instant.parse(s.verifiedAt())));
        }
        return out;
    }

    public synchronized Optional<ManifestEntry> get(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    public synchronized List<ManifestEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized void put(ManifestEntry e) throws IOException {
        entries.put(AssetPaths.checkRelative(e.path()), e);
        save();
    }

    public synchronized void remove(String path) throws IOException {
        if (entries.remove(path) != null) {
            save();
        }
    }

    public Path file() {
        return file;
    }

    private void save() throws IOException {
        write(file, entries.values());
    }

    /** Writes {@code entries} as a manifest file, atomically. */
    public static void write(Path target, Collection<ManifestEntry> entries) throws IOException {
        Files.createDirectories(target.getParent());
        List<Stored> stored = entries.stream()
                .map(e -> new Stored(e.path(), e.size(), e.sha256(), e.mtimeMillis(), e.source(), e.verifiedBy(), e.verifiedAt().toString()))
                .toList();
        Path tmp = Files.createTempFile(target.getParent(), ".verified", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), new Doc(1, stored));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Serialised form (kept apart from the public record so the JSON shape is explicit). */
    record Doc(int format, List<Stored> files) {}

    record Stored(String path, long size, String sha256, long mtimeMillis, String source, String verifiedBy, String verifiedAt) {}
}
