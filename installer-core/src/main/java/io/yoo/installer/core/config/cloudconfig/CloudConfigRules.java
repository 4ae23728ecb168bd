package io.yoo.installer.core.config.cloudconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The checks Flatcar's coreos-cloudinit validator makes, for {@code yoo validate --deep} and the
 * tests: the {@code #cloud-config} header, only keys it knows, each with the value type it
 * expects ({@code permissions} is an octal <em>string</em>, {@code enable} a boolean...), enum
 * values for unit commands and reboot strategies, and none of the retired etcd/etcd2/fleet
 * sections (express those services as {@code coreos.units} and {@code write_files}).
 *
 * <p>Unknown keys are problems too: coreos-cloudinit only warns about them and then ignores
 * them, which is how a misspelt setting silently does nothing.
 */
public final class CloudConfigRules {
    private static final Set<String> TOP = Set.of("coreos", "ssh_authorized_keys", "hostname", "users", "write_files", "manage_etc_hosts");
    private static final Set<String> RETIRED = Set.of("etcd", "etcd2", "fleet", "flannel", "locksmith");
    private static final Set<String> COREOS = Set.of("units", "update", "oem");
    private static final Set<String> UNIT = Set.of("name", "runtime", "enable", "content", "command", "mask", "drop_ins");
    private static final Set<String> DROPIN = Set.of("name", "content");
    private static final Set<String> COMMANDS = Set.of("start", "stop", "restart", "reload", "try-restart", "reload-or-restart", "reload-or-try-restart");
    private static final Set<String> UPDATE = Set.of("reboot_strategy", "group", "server");
    private static final Set<String> REBOOT = Set.of("reboot", "etcd-lock", "best-effort", "off");
    private static final Set<String> FILE = Set.of("path", "content", "permissions", "owner", "encoding");
    private static final Set<String> ENCODINGS = Set.of("b64", "base64", "gz", "gzip", "gz+base64", "gzip+base64", "gz+b64", "gzip+b64");
    private static final Set<String> USER = Set.of("name", "gecos", "passwd", "homedir", "no_create_home", "primary_group", "groups",
            "no_user_group", "ssh_authorized_keys", "coreos_ssh_import_github", "coreos_ssh_import_github_users",
            "coreos_ssh_import_url", "system", "no_log_init", "shell");
    private static final Set<String> MANAGE_HOSTS = Set.of("localhost");

    private CloudConfigRules() {}

    /** Every problem found, each naming the key path; empty when the config is acceptable. */
    public static List<String> problems(String text) {
        List<String> p = new ArrayList<>();
        String firstLine = text.lines().findFirst().orElse("");
        if (!firstLine.strip().equals(CloudConfigWriter.HEADER)) {
            p.add("line 1: must be '#cloud-config' (coreos-cloudinit ignores the file otherwise)");
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            p.add("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return p;
        }
        if (doc == null) {
            return p;
        }
        if (!(doc instanceof Map<?, ?> root)) {
            p.add("top level: must be a mapping");
            return p;
        }
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (RETIRED.contains(key)) {
                p.add(key + ": retired section, rejected by Flatcar's coreos-cloudinit; use coreos.units and write_files");
                continue;
            }
            switch (key) {
                case "hostname" -> string(p, key, v);
                case "ssh_authorized_keys" -> stringList(p, key, v);
                case "manage_etc_hosts" -> oneOf(p, key, v, MANAGE_HOSTS);
                case "write_files" -> list(p, key, v, (path, item) -> writeFile(p, path, item));
                case "users" -> list(p, key, v, (path, item) -> user(p, path, item));
                case "coreos" -> coreos(p, v);
                default -> p.add(key + ": unknown key (coreos-cloudinit knows " + String.join(", ", TOP.stream().sorted().toList()) + ")");
            }
        }
        return p;
    }

    private static void coreos(List<String> p, Object v) {
        Map<?, ?> m = map(p, "coreos", v);
        if (m == null) {
            return;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = "coreos." + key;
            if (RETIRED.contains(key)) {
                p.add(path + ": retired section, rejected by Flatcar's coreos-cloudinit; use coreos.units and write_files");
            } else if (key.equals("units")) {
                list(p, path, e.getValue(), (ip, item) -> unit(p, ip, item));
            } else if (key.equals("update")) {
                Map<?, ?> u = map(p, path, e.getValue());
                if (u != null) {
                    keys(p, path, u, UPDATE);
                    if (u.containsKey("reboot_strategy")) {
                        oneOf(p, path + ".reboot_strategy", u.get("reboot_strategy"), REBOOT);
                    }
                    optionalString(p, path, u, "group");
                    optionalString(p, path, u, "server");
                }
            } else if (key.equals("oem")) {
                map(p, path, e.getValue());
            } else {
                p.add(path + ": unknown key (coreos-cloudinit knows " + String.join(", ", COREOS.stream().sorted().toList()) + ")");
            }
        }
    }

    private static void unit(List<String> p, String path, Object item) {
        Map<?, ?> u = map(p, path, item);
        if (u == null) {
            return;
        }
        keys(p, path, u, UNIT);
        if (!(u.get("name") instanceof String name) || name.isBlank()) {
            p.add(path + ".name: required string");
        } else if (!name.matches("[A-Za-z0-9@._:-]+\\.(service|socket|target|timer|path|mount|automount|network|netdev|link|slice|swap|device|scope)")) {
            p.add(path + ".name: '" + name + "' is not a systemd unit or networkd file name");
        }
        for (String b : List.of("runtime", "enable", "mask")) {
            if (u.containsKey(b) && !(u.get(b) instanceof Boolean)) {
                p.add(path + "." + b + ": must be true or false, not " + describe(u.get(b)));
            }
        }
        optionalString(p, path, u, "content");
        if (u.containsKey("command")) {
            oneOf(p, path + ".command", u.get("command"), COMMANDS);
        }
        if (u.containsKey("drop_ins")) {
            list(p, path + ".drop_ins", u.get("drop_ins"), (dp, d) -> {
                Map<?, ?> dm = map(p, dp, d);
                if (dm != null) {
                    keys(p, dp, dm, DROPIN);
                    if (!(dm.get("name") instanceof String n) || !n.endsWith(".conf")) {
                        p.add(dp + ".name: required, must end with .conf");
                    }
                    optionalString(p, dp, dm, "content");
                }
            });
        }
    }

    private static void writeFile(List<String> p, String path, Object item) {
        Map<?, ?> f = map(p, path, item);
        if (f == null) {
            return;
        }
        keys(p, path, f, FILE);
        if (!(f.get("path") instanceof String fp) || !fp.startsWith("/")) {
            p.add(path + ".path: required absolute path");
        }
        optionalString(p, path, f, "content");
        optionalString(p, path, f, "owner");
        if (f.containsKey("permissions")) {
            Object perm = f.get("permissions");
            if (!(perm instanceof String s)) {
                p.add(path + ".permissions: must be a quoted octal string like '0644', not " + describe(perm));
            } else if (!s.matches("0?[0-7]{3,4}")) {
                p.add(path + ".permissions: '" + s + "' is not an octal mode like '0644'");
            }
        }
        if (f.containsKey("encoding")) {
            oneOf(p, path + ".encoding", f.get("encoding"), ENCODINGS);
        }
    }

    private static void user(List<String> p, String path, Object item) {
        Map<?, ?> u = map(p, path, item);
        if (u == null) {
            return;
        }
        keys(p, path, u, USER);
        if (!(u.get("name") instanceof String)) {
            p.add(path + ".name: required string");
        }
        if (u.containsKey("ssh_authorized_keys")) {
            stringList(p, path + ".ssh_authorized_keys", u.get("ssh_authorized_keys"));
        }
        if (u.containsKey("groups")) {
            stringList(p, path + ".groups", u.get("groups"));
        }
    }

    // ---- small type checks -------------------------------------------------------------------

    private interface ItemCheck {
        void check(String path, Object item);
    }

    private static void list(List<String> p, String path, Object v, ItemCheck each) {
        if (!(v instanceof List<?> l)) {
            p.add(path + ": must be a list, not " + describe(v));
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            each.check(path + "[" + i + "]", l.get(i));
        }
    }

    private static Map<?, ?> map(List<String> p, String path, Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        p.add(path + ": must be a mapping, not " + describe(v));
        return null;
    }

    private static void keys(List<String> p, String path, Map<?, ?> m, Set<String> known) {
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                p.add(path + "." + k + ": unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static void string(List<String> p, String path, Object v) {
        if (!(v instanceof String)) {
            p.add(path + ": must be a string, not " + describe(v));
        }
    }

    private static void optionalString(List<String> p, String path, Map<?, ?> m, String key) {
        if (m.containsKey(key)) {
            string(p, path + "." + key, m.get(key));
        }
    }

    private static void stringList(List<String> p, String path, Object v) {
        list(p, path, v, (ip, item) -> string(p, ip, item));
    }

    private static void oneOf(List<String> p, String path, Object v, Set<String> allowed) {
        if (!(v instanceof String s) || !allowed.contains(s)) {
            p.add(path + ": " + describe(v) + " is not one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
    }
}
