package io.yoo.installer.http.api.machines;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.Fields;

/**
 * The machine list's query: filters ({@code state}, {@code role}, {@code label}, {@code q}) and
 * paging ({@code limit}, {@code cursor}). Parsed from the query string, refusing what it cannot
 * read ({@link IllegalArgumentException}, a 400 problem) rather than ignoring it.
 *
 * <p>{@code state} and {@code role} take one value or several separated by commas; {@code label}
 * is {@code key=value} or just {@code key} (has the label), repeatable (all must hold); {@code q}
 * is a case-insensitive substring of the name, an address, a MAC or the message. A page is
 * ordered by name; the cursor is the last name of the previous page, opaque (base64url) to clients.
 */
record MachineQuery(Set<String> states, Set<String> roles, List<String> labels, Optional<String> q, Optional<Integer> limit,
        Optional<String> after) {
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    private static final int MAX_VALUE = 256;

    static MachineQuery of(Fields params) {
        Optional<String> limitText = one(params, "limit");
        Optional<Integer> limit = limitText.map(l -> {
            int n;
            try {
                n = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT + ", got '" + l + "'");
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT + ", got " + n);
            }
            return n;
        });
        Optional<String> after = one(params, "cursor").filter(c -> !c.isEmpty()).map(MachineQuery::decodeCursor);
        if (after.isPresent() && limit.isEmpty()) {
            limit = Optional.of(DEFAULT_LIMIT);
        }
        return new MachineQuery(commaSet(params, "state"), commaSet(params, "role"), values(params, "label"),
                one(params, "q").filter(s -> !s.isBlank()).map(s -> s.toLowerCase(Locale.ROOT)), limit, after);
    }

    /** Paged: asked with {@code limit} or {@code cursor}; the answer is then {@code {items, next}}. */
    boolean paged() {
        return limit.isPresent();
    }

    boolean matches(Map<String, Object> m) {
        if (!states.isEmpty() && !states.contains(String.valueOf(m.get("state")))) {
            return false;
        }
        if (!roles.isEmpty() && !roles.contains(String.valueOf(m.get("role")))) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> have = (Map<String, Object>) m.get("labels");
        for (String l : labels) {
            int eq = l.indexOf('=');
            boolean ok = eq < 0 ? have.containsKey(l) : l.substring(eq + 1).equals(String.valueOf(have.get(l.substring(0, eq))));
            if (!ok) {
                return false;
            }
        }
        return q.isEmpty() || text(m).contains(q.get());
    }

    private static String text(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        for (String k : new String[] {"name", "ip", "lastIp", "lastMac", "message"}) {
            b.append(' ').append(m.get(k));
        }
        b.append(' ').append(m.get("macs"));
        return b.toString().toLowerCase(Locale.ROOT);
    }

    static String cursorAfter(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String c) {
        try {
            return new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this server handed out");
        }
    }

    private static Optional<String> one(Fields params, String name) {
        List<String> v = values(params, name);
        if (v.size() > 1) {
            throw new IllegalArgumentException(name + " given " + v.size() + " times");
        }
        return v.stream().findFirst();
    }

    private static List<String> values(Fields params, String name) {
        Fields.Field f = params.get(name);
        List<String> v = f == null ? List.of() : f.getValues();
        for (String s : v) {
            if (s.length() > MAX_VALUE) {
                throw new IllegalArgumentException(name + " longer than " + MAX_VALUE + " characters");
            }
        }
        return v;
    }

    private static Set<String> commaSet(Fields params, String name) {
        return values(params, name).stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
