package io.yoo.installer.ipmi.redfish;

import java.net.URI;
import java.util.Optional;

/**
 * Checks a link the BMC handed us ({@code @odata.id}, an action {@code target}, a session
 * {@code Location}) before the client follows it with credentials. Only same-origin paths are
 * followed: an absolute path under {@code /redfish/v1}, no scheme, no authority ({@code //host}),
 * no dot segments, no backslash, no control or space characters, no query or fragment, and no
 * percent-encoded dot, slash, backslash, percent or control character (which a server or proxy
 * could decode into one of the former). Anything else would let a BMC steer our
 * {@code Authorization}/{@code X-Auth-Token} header to another host or out of the service.
 */
public final class RedfishPath {
    /** Longer links than this are refused: no real Redfish resource path comes near it. */
    public static final int MAX_LENGTH = 1024;
    private static final String ROOT = "/redfish/v1";
    // RFC 3986 pchar without '%' (checked separately), plus '/'
    private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/";

    private RedfishPath() {}

    /** Why {@code link} must not be followed, or empty if it is a same-origin Redfish path. */
    public static Optional<String> problem(String link) {
        if (link.length() > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        if (!link.equals(ROOT) && !link.startsWith(ROOT + "/")) {
            return Optional.of("not an absolute path under " + ROOT);
        }
        for (int i = 0; i < link.length(); i++) {
            char c = link.charAt(i);
            if (c == '%') {
                if (i + 2 >= link.length() || hex(link.charAt(i + 1)) < 0 || hex(link.charAt(i + 2)) < 0) {
                    return Optional.of("malformed percent-encoding");
                }
                int b = hex(link.charAt(i + 1)) * 16 + hex(link.charAt(i + 2));
                if (b < 0x20 || b == 0x7f || b == '.' || b == '/' || b == '\\' || b == '%') {
                    return Optional.of("percent-encoded '" + String.format("%%%02X", b) + "'");
                }
                i += 2;
            } else if (ALLOWED.indexOf(c) < 0) {
                return Optional.of(c == '\\' ? "a backslash" : c == '?' || c == '#' ? "a query or fragment" : "a character not allowed in a path");
            }
        }
        if (link.contains("//")) {
            return Optional.of("an empty segment ('//')");
        }
        for (String segment : link.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("a dot segment");
            }
        }
        return Optional.empty();
    }

    /**
     * The URI of {@code link} on {@code base}'s origin; throws if the link is not a same-origin
     * path (the message quotes it with control characters escaped, for the scan report line).
     */
    static URI resolve(URI base, String link) throws RedfishException {
        Optional<String> why = problem(link);
        if (why.isPresent()) {
            throw new RedfishException("refused to follow link '" + printable(link) + "' from the BMC: " + why.get()
                    + " (only same-origin paths under " + ROOT + " are followed)", -2);
        }
        URI u = URI.create(base.getScheme() + "://" + base.getRawAuthority() + link);
        if (!u.getScheme().equals(base.getScheme()) || !u.getRawAuthority().equals(base.getRawAuthority())) {
            throw new RedfishException("refused to follow link '" + printable(link) + "' from the BMC: another origin", -2);
        }
        return u;
    }

    /** {@code s} cut to 120 characters with anything outside printable ASCII escaped, safe to print on a terminal. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && sb.length() < 120; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return i < s.length() ? sb + "..." : sb.toString();
    }

    /** ASCII hex digits only (Character.digit would also take other scripts' digits). */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
