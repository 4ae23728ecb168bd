package io.yoo.installer.core.descriptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects every error found in one descriptor (so the user sees all of them at once) and
 * remembers where each field was written, so checks that run after parsing (duplicates, subnet
 * membership, counts) can still point at the right line and column.
 */
final class Problems {
    private final Path file;
    private final List<DescriptorError> errors = new ArrayList<>();
    private final Map<String, Mark> marks = new HashMap<>();
    private final Map<String, Problems> included = new LinkedHashMap<>();

    Problems(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Fields under {@code prefix} were read from another file (the descriptor's {@code machinesFrom}):
     * their errors name that file, with its lines.
     */
    void include(String prefix, Problems other) {
        included.put(prefix, other);
    }

    private Problems owner(String field) {
        for (Map.Entry<String, Problems> e : included.entrySet()) {
            if (field.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return this;
    }

    void remember(String field, Node node) {
        Problems o = owner(field);
        if (o != this) {
            o.remember(field, node);
            return;
        }
        marks.putIfAbsent(field, node.getStartMark());
    }

    Mark markOf(String field) {
        Problems o = owner(field);
        return o != this ? o.markOf(field) : marks.get(field);
    }

    /** Error at the node of a field read earlier (falls back to its closest remembered parent). */
    void at(String field, String message) {
        Problems o = owner(field);
        if (o != this) {
            o.at(field, message);
            return;
        }
        String f = field;
        Mark m = marks.get(f);
        while (m == null && !f.isEmpty()) {
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            f = cut < 0 ? "" : f.substring(0, cut);
            m = marks.get(f);
        }
        add(m, field, message);
    }

    void at(Node node, String field, String message) {
        add(node == null ? null : node.getStartMark(), field, message);
    }

    void add(Mark mark, String field, String message) {
        Problems o = owner(field);
        if (o != this) {
            o.add(mark, field, message);
            return;
        }
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        errors.add(new DescriptorError(file, line, column, field, message));
    }

    void wholeFile(String message) {
        errors.add(new DescriptorError(file, 0, 0, "", message));
    }

    boolean isEmpty() {
        return errors.isEmpty() && included.values().stream().allMatch(Problems::isEmpty);
    }

    int count() {
        return errors.size() + included.values().stream().mapToInt(Problems::count).sum();
    }

    /** In file order (a stable sort keeps errors found at the same place in finding order). */
    List<DescriptorError> sorted() {
        List<DescriptorError> s = new ArrayList<>(errors);
        s.sort(Comparator.comparingInt(DescriptorError::line).thenComparingInt(DescriptorError::column));
        included.values().forEach(p -> s.addAll(p.sorted())); // the descriptor's errors first, then each included file's
        return s;
    }
}
