package io.yoo.installer.core.config.model;

import java.util.regex.Pattern;

/**
 * Checks descriptor values before they reach a unit file, a YAML document or the install
 * script. The descriptor loader validates the file too; this is the last gate in front of the
 * shell, so it does not trust that anyone else did. Every failure names the field.
 */
public final class ConfigInputs {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Pattern DISK = Pattern.compile("/[A-Za-z0-9._/-]+");
    // the host: a name, an IPv4 address, or an IPv6 address in brackets (IPv6-only machines' URLs)
    private static final Pattern URL = Pattern.compile("https?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]{2,39}\\])(:[0-9]{1,5})?(/[A-Za-z0-9._~/%-]*)?");
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){1,3}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z]+");
    private static final Pattern ASSET_PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    private static final Pattern SSH_KEY = Pattern.compile(
            "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/=]+( [\\x20-\\x7e]*)?");
    private static final Pattern LABEL_PREFIX = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

    private ConfigInputs() {}

    public static String hostname(String field, String v) {
        return check(field, v, DNS_LABEL, "a DNS label (a-z, 0-9, '-', at most 63 characters)");
    }

    /** A cluster name: goes into unit descriptions and kubeadm's clusterName. */
    public static String name(String field, String v) {
        return check(field, v, NAME, "a name of letters, digits, '.', '_', '-' (at most 63 characters)");
    }

    public static String host(String field, String v) {
        return check(field, v, HOST, "a host name or IPv4 address");
    }

    public static String disk(String field, String v) {
        check(field, v, DISK, "an absolute device path like /dev/sda");
        if (v.contains("..")) {
            throw bad(field, v, "an absolute device path without '..'");
        }
        return v;
    }

    public static String url(String field, String v) {
        return check(field, v, URL, "an http(s) URL without spaces, quotes or query (an IPv6 host in brackets)");
    }

    public static String version(String field, String v) {
        return check(field, v, VERSION, "a dotted version like 4081.2.0");
    }

    public static String channel(String field, String v) {
        return check(field, v, CHANNEL, "a channel name like stable, beta, alpha or lts");
    }

    public static String assetPath(String field, String v) {
        check(field, v, ASSET_PATH, "a relative path under the asset directory (no '..', no leading '/')");
        if (v.contains("..")) {
            throw bad(field, v, "a relative path without '..'");
        }
        return v;
    }

    public static String sshKey(String field, String v) {
        return check(field, v, SSH_KEY, "one OpenSSH public key line like 'ssh-ed25519 AAAA... comment'");
    }

    /**
     * A Kubernetes label the kubelet may set on its own node. Keys under kubernetes.io / k8s.io
     * are refused by the NodeRestriction admission plugin, so they are refused here, early.
     */
    public static void nodeLabel(String field, String key, String value) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!LABEL_PREFIX.matcher(prefix).matches()) {
                throw bad(field, key, "a label key prefix that is a DNS subdomain");
            }
            if (prefix.equals("kubernetes.io") || prefix.endsWith(".kubernetes.io") || prefix.equals("k8s.io") || prefix.endsWith(".k8s.io")) {
                throw bad(field, key, "a label outside kubernetes.io/k8s.io (the kubelet may not set those on its own node)");
            }
        }
        if (!LABEL_NAME.matcher(name).matches()) {
            throw bad(field, key, "a label name of letters, digits, '-', '_', '.' (at most 63, alphanumeric at both ends)");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            throw bad(field + "." + key, value, "a label value of letters, digits, '-', '_', '.' (at most 63)");
        }
    }

    private static String check(String field, String v, Pattern p, String expected) {
        if (v == null || !p.matcher(v).matches()) {
            throw bad(field, v, expected);
        }
        return v;
    }

    private static IllegalArgumentException bad(String field, String v, String expected) {
        return new IllegalArgumentException(field + ": '" + v + "' is not " + expected);
    }
}
