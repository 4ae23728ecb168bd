package io.yoo.installer.core.descriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads from one YAML mapping node, reporting every problem to {@link Problems} with the
 * field path and the node's source position instead of throwing. A read that fails returns
 * empty, so parsing goes on and all mistakes are found in one pass.
 */
final class YamlMap {
    private final Node node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlMap(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** Empty when {@code node} is not a mapping (reported). */
    static Optional<YamlMap> of(Node node, String path, Problems problems) {
        if (!(node instanceof MappingNode mapping)) {
            problems.at(node, path, "expected a mapping (key: value lines), got " + describe(node));
            return Optional.empty();
        }
        YamlMap map = new YamlMap(node, path, problems);
        problems.remember(path, node);
        List<MappingNode> merges = new ArrayList<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.at(t.getKeyNode(), path, "keys must be plain words, got " + describe(t.getKeyNode()));
                continue;
            }
            String k = key.getValue();
            String tooLong = FieldLimits.check(k, FieldLimits.KEY);
            if (tooLong != null) {
                problems.at(key, path, "a key is too long: " + tooLong);
                continue;
            }
            if (key.getTag().equals(Tag.MERGE)) {
                map.collectMerges(t.getValueNode(), merges);
                continue;
            }
            if (path.isEmpty() && k.startsWith("x-")) {
                continue; // extension keys hold YAML anchors for merges (as in docker compose files)
            }
            if (map.entries.containsKey(k)) {
                problems.at(key, map.field(k), "duplicate key '" + k + "' (first given on line "
                        + (map.entries.get(k).getKeyNode().getStartMark().getLine() + 1) + ")");
                continue;
            }
            map.entries.put(k, t);
            problems.remember(map.field(k), t.getValueNode());
        }
        // YAML merge keys (<<: *defaults): keys written here win, then the first merged mapping
        for (MappingNode merged : merges) {
            for (NodeTuple t : merged.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key && !key.getTag().equals(Tag.MERGE)
                        && !map.entries.containsKey(key.getValue())) {
                    map.entries.put(key.getValue(), t);
                    problems.remember(map.field(key.getValue()), t.getValueNode());
                }
            }
        }
        return Optional.of(map);
    }

    private void collectMerges(Node value, List<MappingNode> into) {
        if (value instanceof MappingNode m) {
            into.add(m);
        } else if (value instanceof SequenceNode seq && seq.getValue().stream().allMatch(n -> n instanceof MappingNode)) {
            seq.getValue().forEach(n -> into.add((MappingNode) n));
        } else {
            problems.at(value, field("<<"), "'<<' merges a mapping, e.g. <<: *defaults, got " + describe(value));
        }
    }

    /** An absent section: every read returns its default, no errors. */
    static YamlMap absent(Node parent, String path, Problems problems) {
        return new YamlMap(parent, path, problems);
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports keys outside {@code allowed}, with the closest allowed key as a suggestion. */
    void allowOnly(Set<String> allowed) {
        for (NodeTuple t : entries.values()) {
            String k = ((ScalarNode) t.getKeyNode()).getValue();
            if (!allowed.contains(k)) {
                String where = path.isEmpty() ? "at the top level" : "in " + path;
                String hint = Suggestions.closest(k, allowed).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; known keys: " + String.join(", ", allowed.stream().sorted().toList()));
                problems.at(t.getKeyNode(), field(k), "unknown key '" + k + "' " + where + hint);
            }
        }
    }

    boolean has(String key) {
        return entries.containsKey(key) && !isNull(entries.get(key).getValueNode());
    }

    Optional<Node> value(String key) {
        NodeTuple t = entries.get(key);
        return t == null || isNull(t.getValueNode()) ? Optional.empty() : Optional.of(t.getValueNode());
    }

    void missing(String key, String what) {
        problems.at(node, field(key), "missing required key '" + key + "'" + (what.isEmpty() ? "" : " (" + what + ")"));
    }

    /** A scalar as written. Numbers and booleans are accepted as text (e.g. {@code version: 1.31}). */
    Optional<String> string(String key) {
        return value(key).flatMap(n -> scalar(n, field(key)));
    }

    Optional<String> required(String key, String what) {
        if (!has(key)) {
            missing(key, what);
            return Optional.empty();
        }
        return string(key);
    }

    /** Parses the scalar with {@code parser}; its IllegalArgumentException message becomes the error. */
    <T> Optional<T> parsed(String key, Function<String, T> parser) {
        return value(key).flatMap(n -> parse(n, field(key), parser));
    }

    <T> Optional<T> parse(Node n, String field, Function<String, T> parser) {
        return scalar(n, field).flatMap(s -> {
            try {
                return Optional.of(parser.apply(s));
            } catch (IllegalArgumentException e) {
                problems.at(n, field, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A scalar checked by {@code rule} (a {@link Syntax} method returning null when fine). */
    Optional<String> checked(String key, Function<String, String> rule) {
        return value(key).flatMap(n -> checked(n, field(key), rule));
    }

    Optional<String> checked(Node n, String field, Function<String, String> rule) {
        return scalar(n, field).flatMap(s -> {
            String why = rule.apply(s);
            if (why != null) {
                problems.at(n, field, why);
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }

    Optional<Integer> integer(String key, int min, int max) {
        return value(key).flatMap(n -> {
            if (!(n instanceof ScalarNode s) || !s.getTag().equals(Tag.INT) || !s.getValue().matches("\\d{1,10}")) {
                problems.at(n, field(key), "expected a whole number, got " + describe(n));
                return Optional.empty();
            }
            long v = Long.parseLong(s.getValue());
            if (v < min || v > max) {
                problems.at(n, field(key), v + " is out of range " + min + "-" + max);
                return Optional.empty();
            }
            return Optional.of((int) v);
        });
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(n -> {
            if (n instanceof ScalarNode s && (s.getValue().equals("true") || s.getValue().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s.getValue()));
            }
            problems.at(n, field(key), "expected true or false, got " + describe(n));
            return Optional.empty();
        });
    }

    /** One of {@code choices}; a typo gets a suggestion. */
    Optional<String> choice(String key, List<String> choices) {
        return string(key).flatMap(v -> {
            if (choices.contains(v)) {
                return Optional.of(v);
            }
            String hint = Suggestions.closest(v, choices).map(s -> "; did you mean '" + s + "'?").orElse("");
            problems.at(value(key).get(), field(key),
                    "'" + v + "' is not one of " + String.join(", ", choices) + hint);
            return Optional.empty();
        });
    }

    Optional<YamlMap> map(String key) {
        return value(key).flatMap(n -> of(n, field(key), problems));
    }

    /** The section under {@code key}, or an absent one (all defaults) when not given. */
    YamlMap section(String key) {
        if (!has(key)) {
            if (entries.containsKey(key)) {
                problems.remember(field(key), entries.get(key).getKeyNode());
            }
            return absent(node, field(key), problems);
        }
        return map(key).orElseGet(() -> absent(node, field(key), problems));
    }

    /** Items of a list; a single scalar is accepted as a one-item list when {@code scalarOk}. */
    List<Item> list(String key, boolean scalarOk) {
        Optional<Node> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        Node n = v.get();
        List<Item> items = new ArrayList<>();
        if (n instanceof SequenceNode seq) {
            int i = 0;
            for (Node item : seq.getValue()) {
                String f = field(key) + "[" + i++ + "]";
                problems.remember(f, item);
                items.add(new Item(item, f));
            }
        } else if (scalarOk && n instanceof ScalarNode) {
            items.add(new Item(n, field(key)));
        } else {
            problems.at(n, field(key), "expected a list" + (scalarOk ? " or a single value" : "") + ", got " + describe(n));
        }
        return items;
    }

    /** Key/value pairs of a nested mapping (e.g. labels), values as scalars. */
    List<Map.Entry<ScalarNode, Node>> pairs(String key) {
        List<Map.Entry<ScalarNode, Node>> out = new ArrayList<>();
        map(key).ifPresent(m -> m.entries.values().forEach(t -> out.add(Map.entry((ScalarNode) t.getKeyNode(), t.getValueNode()))));
        return out;
    }

    Optional<String> scalar(Node n, String field) {
        if (n instanceof ScalarNode s && !isNull(n)) {
            String tooLong = FieldLimits.check(s.getValue(), FieldLimits.of(field));
            if (tooLong != null) {
                problems.at(n, field, tooLong);
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }
        problems.at(n, field, "expected a single value, got " + describe(n));
        return Optional.empty();
    }

    record Item(Node node, String field) {}

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s) {
            if (isNull(n)) {
                return "nothing";
            }
            String v = s.getValue();
            return v.length() > 80 ? "'" + v.substring(0, 80) + "…' (" + v.length() + " characters)" : "'" + v + "'";
        }
        return "something else";
    }
}
