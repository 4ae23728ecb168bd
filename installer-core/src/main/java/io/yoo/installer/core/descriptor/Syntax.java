package io.yoo.installer.core.descriptor;

import java.util.regex.Pattern;

/**
 * Syntax rules for descriptor values that end up in kernel command lines, file names, shell
 * scripts and Kubernetes objects. Checked once at load time so renderers can trust the model.
 * Each method returns null when the value is fine, else the reason.
 */
final class Syntax {
    private Syntax() {}

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");
    private static final Pattern KERNEL_ARG = Pattern.compile("[A-Za-z0-9_.,:=/+@%\\-]+");
    private static final Pattern SAFE_RELATIVE = Pattern.compile("[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*");
    private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_./:-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SSH_KEY = Pattern.compile(
            "(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)"
                    + " [A-Za-z0-9+/]+={0,3}( [^\\n\\r]*)?");
    private static final Pattern URL = Pattern.compile("(https?|socks5h?)://[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    static String hostname(String v) {
        if (v.length() > 63) {
            return "'" + v + "' is longer than 63 characters (a hostname is one DNS label)";
        }
        if (!DNS_LABEL.matcher(v).matches()) {
            return "'" + v + "' is not a valid hostname: use lower-case letters, digits and '-', starting and ending"
                    + " with a letter or digit (one DNS label, no dots)";
        }
        return null;
    }

    static String dnsName(String v) {
        if (v.length() > 253 || !DNS_NAME.matcher(v).matches()) {
            return "'" + v + "' is not a valid DNS name: dot-separated labels of lower-case letters, digits and '-'";
        }
        return null;
    }

    /** Kubernetes label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    static String labelKey(String k) {
        String prefix = null;
        String name = k;
        int slash = k.indexOf('/');
        if (slash >= 0) {
            prefix = k.substring(0, slash);
            name = k.substring(slash + 1);
            if (prefix.isEmpty() || dnsName(prefix) != null) {
                return "label key '" + k + "': prefix '" + prefix + "' must be a DNS subdomain like example.com";
            }
            if (prefix.equals("kubernetes.io") || prefix.endsWith(".kubernetes.io") || prefix.equals("k8s.io")
                    || prefix.endsWith(".k8s.io")) {
                if (!prefix.equals("node.kubernetes.io")) {
                    return "label key '" + k + "': the kubelet may not set labels under " + prefix
                            + "/ (reserved by Kubernetes); use your own prefix";
                }
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return "label key '" + k + "' is not a valid Kubernetes label name: at most 63 characters of letters,"
                    + " digits, '-', '_' and '.', starting and ending with a letter or digit";
        }
        return null;
    }

    static String labelValue(String v) {
        if (v.isEmpty()) {
            return null;
        }
        if (v.length() > 63 || !LABEL_NAME.matcher(v).matches()) {
            return "label value '" + v + "' is not a valid Kubernetes label value: at most 63 characters of letters,"
                    + " digits, '-', '_' and '.', starting and ending with a letter or digit";
        }
        return null;
    }

    static String kernelArg(String v) {
        if (!KERNEL_ARG.matcher(v).matches()) {
            return "kernel argument '" + v + "' has characters that are not allowed on a kernel command line"
                    + " (allowed: letters, digits and _ . , : = / + @ % -)";
        }
        return null;
    }

    /** A path inside the asset directory: no absolute paths, no '..', no odd characters. */
    static String assetPath(String v) {
        if (!SAFE_RELATIVE.matcher(v).matches() || v.equals("..") || v.contains("/../") || v.startsWith("../")
                || v.endsWith("/..") || v.startsWith(".")) {
            return "'" + v + "' must be a plain relative path inside the asset directory (no '..', no leading '/')";
        }
        return null;
    }

    static String device(String v) {
        if (!DEVICE.matcher(v).matches() || v.contains("..")) {
            return "'" + v + "' is not a block device path like /dev/sda or /dev/disk/by-id/...";
        }
        return null;
    }

    static String envName(String v) {
        return ENV_NAME.matcher(v).matches() ? null : "'" + v + "' is not an environment variable name";
    }

    static String sshKey(String v) {
        return SSH_KEY.matcher(v.strip()).matches() ? null
                : "not an OpenSSH public key: expected one line like 'ssh-ed25519 AAAAC3... user@host'";
    }

    static String url(String v) {
        return URL.matcher(v).matches() ? null
                : "'" + v + "' is not a URL like http://proxy.example.com:3128 (schemes: http, https, socks5)";
    }

    static String version(String v) {
        return VERSION.matcher(v).matches() ? null : "'" + v + "' is not a version like 1.2.3";
    }
}
