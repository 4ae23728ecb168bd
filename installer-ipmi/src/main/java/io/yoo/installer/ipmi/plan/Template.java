package io.yoo.installer.ipmi.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text with {@code {expression}} placeholders, e.g. {@code 10.12.1.{index}} or
 * {@code core-1-{index}}; each placeholder is an {@link Expr}. Literal braces are not allowed.
 */
public final class Template {
    private final String source;
    private final List<Object> parts; // String literal or Expr

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts;
    }

    public static Template parse(String text, Set<String> variables) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            int stray = text.indexOf('}', i);
            if (stray >= 0 && (open < 0 || stray < open)) {
                throw new IllegalArgumentException("template '" + text + "' column " + (stray + 1) + ": '}' without '{'");
            }
            if (open < 0) {
                parts.add(text.substring(i));
                break;
            }
            if (open > i) {
                parts.add(text.substring(i, open));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("template '" + text + "' column " + (open + 1) + ": '{' without '}'");
            }
            try {
                parts.add(Expr.parse(text.substring(open + 1, close), variables));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("template '" + text + "': " + e.getMessage(), e);
            }
            i = close + 1;
        }
        return new Template(text, List.copyOf(parts));
    }

    public String render(Map<String, Long> values) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p instanceof Expr e ? Long.toString(e.eval(values)) : (String) p);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
