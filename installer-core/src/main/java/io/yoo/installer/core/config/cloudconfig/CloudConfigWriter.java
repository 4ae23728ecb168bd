package io.yoo.installer.core.config.cloudconfig;

import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.UnitSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Serialises a {@link HostConfig} as {@code #cloud-config} for Flatcar's coreos-cloudinit:
 * services as {@code coreos.units} (with {@code drop_ins}), files as {@code write_files},
 * updates as {@code coreos.update}; the install NIC's {@code .network} file as a unit, which
 * makes coreos-cloudinit restart systemd-networkd. No etcd/etcd2/fleet sections: Flatcar's
 * cloudinit no longer accepts them. Built as maps and dumped by SnakeYAML, so quoting is the
 * library's job; multi-line text is written as literal blocks for readability.
 */
public final class CloudConfigWriter {
    public static final String HEADER = "#cloud-config";

    public String write(HostConfig host) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("hostname", host.hostname());
        root.put("ssh_authorized_keys", host.sshKeys());

        List<Map<String, Object>> files = new ArrayList<>();
        for (FileSpec f : host.files()) {
            if (f.path().equals("/etc/hostname")) {
                continue; // the hostname key writes it
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("permissions", f.octalMode());
            m.put("owner", "root");
            m.put("content", f.content());
            files.add(m);
        }
        if (!files.isEmpty()) {
            root.put("write_files", files);
        }

        Map<String, Object> coreos = new LinkedHashMap<>();
        host.update().ifPresent(u -> {
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("group", u.group());
            update.put("reboot_strategy", u.rebootStrategy());
            coreos.put("update", update);
        });
        List<Map<String, Object>> units = new ArrayList<>();
        host.network().ifPresent(n -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name());
            m.put("content", n.content());
            units.add(m);
        });
        for (UnitSpec u : host.units()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            if (u.enabled()) {
                m.put("enable", true);
            }
            if (u.startNow()) {
                m.put("command", "start");
            }
            u.content().ifPresent(c -> m.put("content", c));
            if (!u.dropins().isEmpty()) {
                List<Map<String, Object>> d = new ArrayList<>();
                for (UnitSpec.Dropin x : u.dropins()) {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("name", x.name());
                    dm.put("content", x.content());
                    d.add(dm);
                }
                m.put("drop_ins", d);
            }
            units.add(m);
        }
        if (!units.isEmpty()) {
            coreos.put("units", units);
        }
        if (!coreos.isEmpty()) {
            root.put("coreos", coreos);
        }
        return HEADER + "\n" + yaml().dump(root);
    }

    private static Yaml yaml() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(4096);
        o.setSplitLines(false);
        return new Yaml(new LiteralRepresenter(o), o);
    }

    /** Multi-line strings as {@code |} blocks (files and units stay readable in the config). */
    private static final class LiteralRepresenter extends Representer {
        LiteralRepresenter(DumperOptions o) {
            super(o);
            Represent plain = this.representers.get(String.class);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                // literal blocks cannot carry trailing spaces or tabs reliably; fall back to quoting
                if (s.contains("\n") && !s.matches("(?s).*[ \\t]\\n.*") && !s.contains("\r") && !s.startsWith(" ")) {
                    return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.LITERAL);
                }
                return plain.representData(data);
            });
        }
    }
}
