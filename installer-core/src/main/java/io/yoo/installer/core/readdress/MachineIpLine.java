package io.yoo.installer.core.readdress;

import io.yoo.installer.api.net.Ipv4;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Rewrites one machine's {@code ip:} value in the YAML text that lists it, in place: only the
 * characters of that scalar change (its quoting kept), so comments, order, flow or block style and
 * every other line stay as the operator wrote them. The value is found through the composed YAML
 * nodes (top-level {@code machines:}, the item whose {@code name} is the machine), never by text
 * search; a value that is not written in the machine's own entry on one line (an alias, a merge
 * key, a multi-line scalar) is not rewritten: {@link #rewrite} says what to edit instead.
 */
final class MachineIpLine {
    private MachineIpLine() {}

    /** Why the value could not be rewritten in place; the message says what to edit by hand. */
    static final class NotRewritableException extends Exception {
        private static final long serialVersionUID = 1L;

        NotRewritableException(String message) {
            super(message);
        }
    }

    /** The edited text and the 1-based line changed. */
    record Edit(String text, int line, String before, String after) {}

    /** Empty when {@code yaml} lists no machine {@code name} under a top-level {@code machines:}. */
    static Optional<Edit> rewrite(String yaml, String name, Ipv4 old, Ipv4 next) throws NotRewritableException {
        Optional<MappingNode> entry = entry(yaml, name);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        MappingNode m = entry.get();
        ScalarNode ip = null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("ip")) {
                ip = t.getValueNode() instanceof ScalarNode v ? v : null;
                if (ip == null) {
                    throw refuse(name, "its ip: is not a plain value", t.getKeyNode().getStartMark(), old, next);
                }
            }
        }
        if (ip == null) {
            throw refuse(name, "its entry has no ip: line of its own", m.getStartMark(), old, next);
        }
        Mark start = ip.getStartMark();
        Mark end = ip.getEndMark();
        if (start.getLine() != end.getLine() || start.getIndex() < m.getStartMark().getIndex() || end.getIndex() > m.getEndMark().getIndex()) {
            throw refuse(name, "its ip: value is not written on one line of its own entry (an alias or a merge key?)", start, old, next);
        }
        Ipv4 written;
        try {
            written = Ipv4.parse(ip.getValue());
        } catch (IllegalArgumentException e) {
            throw refuse(name, "its ip: '" + ip.getValue() + "' is not the address served", start, old, next);
        }
        if (!written.equals(old)) {
            throw refuse(name, "its ip: says " + written + " but " + old + " is served (edited since the last reload?)", start, old, next);
        }
        List<String> lines = List.of(yaml.split("\n", -1));
        String line = lines.get(start.getLine());
        int from = line.offsetByCodePoints(0, start.getColumn());
        int to = line.offsetByCodePoints(0, end.getColumn());
        String value = line.substring(from, to);
        char quote = value.isEmpty() ? ' ' : value.charAt(0);
        String replacement = quote == '"' || quote == '\'' ? quote + next.toString() + quote : next.toString();
        String changed = line.substring(0, from) + replacement + line.substring(to);
        StringBuilder out = new StringBuilder(yaml.length() + 8);
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(i == start.getLine() ? changed : lines.get(i));
        }
        return Optional.of(new Edit(out.toString(), start.getLine() + 1, line, changed));
    }

    private static Optional<MappingNode> entry(String yaml, String name) throws NotRewritableException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            options.setMaxAliasesForCollections(50);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (YAMLException e) {
            throw new NotRewritableException("the file is not valid YAML now: " + e.getMessage());
        }
        if (!(root instanceof MappingNode top)) {
            return Optional.empty();
        }
        for (NodeTuple t : top.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("machines") && t.getValueNode() instanceof SequenceNode list) {
                for (Node item : list.getValue()) {
                    if (item instanceof MappingNode m && nameOf(m).filter(name::equals).isPresent()) {
                        return Optional.of(m);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nameOf(MappingNode m) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name") && t.getValueNode() instanceof ScalarNode v) {
                return Optional.of(v.getValue());
            }
        }
        return Optional.empty();
    }

    private static NotRewritableException refuse(String name, String why, Mark at, Ipv4 old, Ipv4 next) {
        return new NotRewritableException("cannot rewrite " + name + "'s address in place (line " + (at.getLine() + 1) + ": " + why
                + "); edit it by hand: ip: " + old + " -> " + next + ", then reload (SIGHUP or the file watcher) and reprovision " + name);
    }
}
