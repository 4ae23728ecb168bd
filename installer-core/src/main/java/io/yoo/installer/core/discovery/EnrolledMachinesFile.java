package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.cluster.DescriptorEdits;
import io.yoo.installer.core.descriptor.DescriptorError;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The file of enrolled machines that Yoo owns and the descriptor includes
 * ({@code machinesFrom: enrolled.yml}): each enrollment appends one machine entry. The new text is
 * written atomically, then the whole descriptor is loaded; with a mistake the old text is put
 * back and the errors (file, line, field) are returned. The descriptor stays the one source of
 * truth: what is served is what {@code yoo validate} reads.
 */
public final class EnrolledMachinesFile {
    static final String HEADER = """
            # Written by Yoo Installer: machines enrolled from discovery (yoo enroll, the API, the UI).
            # The descriptor includes it (machinesFrom). Yoo appends to it; edits by hand are kept.
            machines:
            """;

    private EnrolledMachinesFile() {}

    /** An appended entry: the machine's name and address, and the unified diff of the file. */
    public record Change(String name, Ipv4 ip, String diff) {}

    /** Why an enrollment was not written: the descriptor's errors, or an I/O failure. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> errors;

        public RefusedException(String message, List<String> errors) {
            super(message + (errors.isEmpty() ? "" : ": " + String.join("; ", errors)));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    /** The YAML of one entry (two-space list indentation under {@code machines:}); every value double-quoted. */
    static String entry(DiscoveredMachine d, EnrollRequest r, Ipv4 ip, Instant at) {
        StringBuilder sb = new StringBuilder();
        sb.append("  # discovered machine #").append(d.id()).append(d.serial().map(s -> ", serial " + s.replaceAll("[^A-Za-z0-9._:/+-]", "?"))
                .orElse("")).append(", enrolled ").append(at).append('\n');
        sb.append("  - name: \"").append(r.name()).append("\"\n");
        sb.append("    mac: \"").append(d.mac()).append("\"\n");
        d.uuid().ifPresent(u -> sb.append("    uuid: \"").append(u).append("\"\n"));
        sb.append("    ip: \"").append(ip).append("\"\n");
        sb.append("    role: \"").append(r.role().key()).append("\"\n");
        if (!r.labels().isEmpty()) {
            sb.append("    labels:\n");
            new TreeMap<>(r.labels()).forEach((k, v) -> sb.append("      \"").append(k).append("\": \"").append(v).append("\"\n"));
        }
        return sb.toString();
    }

    /**
     * Appends the entry to {@code file} (created with its header when missing), then loads
     * {@code descriptor}; puts the old text back when it does not load.
     */
    public static Change append(Path descriptor, Path file, DiscoveredMachine d, EnrollRequest r, Ipv4 ip, Instant at)
            throws RefusedException {
        try {
            boolean existed = Files.exists(file);
            String old = existed ? Files.readString(file, StandardCharsets.UTF_8) : "";
            String base = existed ? (old.isEmpty() || old.endsWith("\n") ? old : old + "\n") : HEADER;
            String added = entry(d, r, ip, at);
            String text = base + added;
            DescriptorEdits.write(file, text);
            try {
                DescriptorLoader.load(descriptor);
            } catch (DescriptorException e) {
                if (existed) {
                    DescriptorEdits.write(file, old);
                } else {
                    Files.deleteIfExists(file);
                }
                throw new RefusedException("the descriptor would not load with this machine",
                        e.errors().stream().map(DescriptorError::format).toList());
            }
            return new Change(r.name(), ip, diff(file.getFileName().toString(), old, text));
        } catch (IOException e) {
            throw new RefusedException("cannot write " + file + ": " + e.getMessage(), List.of());
        }
    }

    /** Unified diff of {@code before} → {@code after}, where {@code after} is {@code before} plus lines at the end (or all new). */
    static String diff(String name, String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        int common = 0;
        while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
            common++;
        }
        List<String> removed = a.subList(common, a.size());
        List<String> added = b.subList(common, b.size());
        String header = "--- " + name + "\n+++ " + name + "\n";
        String hunk = "@@ -" + range(common, removed.size()) + " +" + range(common, added.size()) + " @@\n";
        return header + hunk + removed.stream().map(l -> "-" + l + "\n").collect(Collectors.joining())
                + added.stream().map(l -> "+" + l + "\n").collect(Collectors.joining());
    }

    private static String range(int common, int count) {
        return count == 0 ? common + ",0" : (common + 1) + "," + count;
    }

}
