package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * BMC addresses to scan, from arguments like {@code 10.77.1.0/24} (host addresses of the
 * network), {@code 10.77.1.5-10.77.1.40} or {@code 10.77.1.5-40}, {@code 10.77.1.9}, and files
 * holding one such item per line ({@code #} starts a comment). Duplicates are scanned once, in
 * first-seen order.
 */
public final class Targets {
    /** A /16 at most: beyond that a typo is likelier than a real plan. */
    public static final int MAX_TARGETS = 65_536;

    private Targets() {}

    public static List<Ipv4> parse(List<String> items) {
        Set<Ipv4> out = new LinkedHashSet<>();
        for (String item : items) {
            add(out, item, item);
        }
        return List.copyOf(out);
    }

    public static List<Ipv4> parseFile(Path file) throws IOException {
        Set<Ipv4> out = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String item = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (item.isEmpty()) {
                continue;
            }
            try {
                add(out, item, item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static void add(Set<Ipv4> out, String item, String context) {
        String t = item.trim();
        List<Ipv4> expanded = new ArrayList<>();
        if (t.contains("/")) {
            Ipv4Cidr cidr = Ipv4Cidr.parse(t);
            long size = 1L << (32 - cidr.prefix());
            if (size > MAX_TARGETS) {
                throw new IllegalArgumentException("target '" + context + "' has " + size + " addresses, more than " + MAX_TARGETS);
            }
            for (long i = 0; i < size; i++) {
                Ipv4 a = cidr.network().plus(i);
                if (cidr.isHostAddress(a)) {
                    expanded.add(a);
                }
            }
        } else if (t.contains("-")) {
            int dash = t.indexOf('-');
            Ipv4 from = Ipv4.parse(t.substring(0, dash));
            String rest = t.substring(dash + 1).trim();
            Ipv4 to;
            if (rest.matches("\\d{1,3}")) {
                int last = Integer.parseInt(rest);
                if (last > 255) {
                    throw new IllegalArgumentException("target '" + context + "': " + last + " is over 255");
                }
                to = new Ipv4((from.value() & 0xFFFFFF00) | last);
            } else {
                to = Ipv4.parse(rest);
            }
            if (to.compareTo(from) < 0) {
                throw new IllegalArgumentException("target '" + context + "': range ends before it starts");
            }
            if (to.unsigned() - from.unsigned() + 1 > MAX_TARGETS) {
                throw new IllegalArgumentException("target '" + context + "' is more than " + MAX_TARGETS + " addresses");
            }
            for (long v = from.unsigned(); v <= to.unsigned(); v++) {
                expanded.add(new Ipv4((int) v));
            }
        } else {
            expanded.add(Ipv4.parse(t));
        }
        out.addAll(expanded);
        if (out.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("more than " + MAX_TARGETS + " targets in total");
        }
    }
}
