package io.yoo.installer.ipmi.plan;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tiny integer expression: numbers, variables, {@code + - * / %}, unary minus and
 * parentheses, with the usual precedence. Enough to write the seed's
 * {@code (o3 - 202) * 28 + o4}; nothing that could reach a file, shell or template engine.
 * Parsed once, evaluated per BMC.
 */
public final class Expr {
    private final String source;
    private final Node root;

    private Expr(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Parses {@code text}; only the names in {@code variables} are allowed. */
    public static Expr parse(String text, Set<String> variables) {
        Parser p = new Parser(text, variables);
        Node n = p.sum();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return new Expr(text, n);
    }

    public long eval(Map<String, Long> values) {
        return root.eval(values);
    }

    @Override
    public String toString() {
        return source;
    }

    private interface Node {
        long eval(Map<String, Long> v);
    }

    private static final class Parser {
        final String s;
        final Set<String> vars;
        int pos;

        Parser(String s, Set<String> vars) {
            this.s = s;
            this.vars = vars;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("expression '" + s + "' at column " + (pos + 1) + ": " + what);
        }

        void skipSpace() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        boolean eat(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        Node sum() {
            Node left = product();
            while (true) {
                if (eat('+')) {
                    Node l = left, r = product();
                    left = v -> Math.addExact(l.eval(v), r.eval(v));
                } else if (eat('-')) {
                    Node l = left, r = product();
                    left = v -> Math.subtractExact(l.eval(v), r.eval(v));
                } else {
                    return left;
                }
            }
        }

        Node product() {
            Node left = unary();
            while (true) {
                if (eat('*')) {
                    Node l = left, r = unary();
                    left = v -> Math.multiplyExact(l.eval(v), r.eval(v));
                } else if (eat('/')) {
                    Node l = left, r = unary();
                    left = v -> {
                        long d = r.eval(v);
                        if (d == 0) {
                            throw new ArithmeticException("division by zero in '" + s + "'");
                        }
                        return Math.floorDiv(l.eval(v), d);
                    };
                } else if (eat('%')) {
                    Node l = left, r = unary();
                    left = v -> {
                        long d = r.eval(v);
                        if (d == 0) {
                            throw new ArithmeticException("modulo by zero in '" + s + "'");
                        }
                        return Math.floorMod(l.eval(v), d);
                    };
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            if (eat('-')) {
                Node n = unary();
                return v -> Math.negateExact(n.eval(v));
            }
            return atom();
        }

        Node atom() {
            skipSpace();
            if (eat('(')) {
                Node n = sum();
                if (!eat(')')) {
                    throw error("missing ')'");
                }
                return n;
            }
            int start = pos;
            if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos - start > 12) {
                    throw error("number too long");
                }
                long value = Long.parseLong(s.substring(start, pos));
                return v -> value;
            }
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error(pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "expression ends too early");
            }
            String name = s.substring(start, pos);
            if (!vars.contains(name)) {
                pos = start;
                throw error("unknown variable '" + name + "' (known: " + String.join(", ", new TreeSet<>(vars)) + ")");
            }
            return v -> {
                Long x = v.get(name);
                if (x == null) {
                    throw new IllegalStateException("variable " + name + " has no value");
                }
                return x;
            };
        }
    }
}
