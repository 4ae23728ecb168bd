package io.yoo.installer.core.config.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Everything one machine is told, in neither dialect: the renderers for Ignition and
 * cloud-config serialise the same object, so both dialects carry the same content by
 * construction.
 *
 * @param network     the systemd-networkd unit for the install NIC (file name, content), if any;
 *                    Ignition writes it as a file, cloud-config as a {@code coreos.units} entry
 *                    (coreos-cloudinit then restarts networkd)
 * @param update      Flatcar update group and reboot strategy, if set
 */
public record HostConfig(
        String hostname,
        List<String> sshKeys,
        List<FileSpec> files,
        List<UnitSpec> units,
        Optional<NetworkUnit> network,
        Optional<UpdatePolicy> update) {

    public HostConfig {
        sshKeys = List.copyOf(sshKeys);
        files = List.copyOf(files);
        units = merged(units);
    }

    /** Units named twice (e.g. containerd: config drop-in + proxy drop-in) become one entry. */
    private static List<UnitSpec> merged(List<UnitSpec> units) {
        LinkedHashMap<String, UnitSpec> byName = new LinkedHashMap<>();
        for (UnitSpec u : units) {
            byName.merge(u.name(), u, (a, b) -> {
                if (a.content().isPresent() && b.content().isPresent()) {
                    throw new IllegalArgumentException("unit " + a.name() + " has two contents");
                }
                List<UnitSpec.Dropin> dropins = new ArrayList<>(a.dropins());
                dropins.addAll(b.dropins());
                return new UnitSpec(a.name(), a.content().or(b::content), a.enabled() || b.enabled(),
                        a.startNow() || b.startNow(), dropins);
            });
        }
        return List.copyOf(byName.values());
    }

    /** A {@code .network} file for {@code /etc/systemd/network/}. */
    public record NetworkUnit(String name, String content) {
        public NetworkUnit {
            if (!name.matches("[A-Za-z0-9._-]+\\.network")) {
                throw new IllegalArgumentException("bad network unit name '" + name + "'");
            }
        }
    }

    /**
     * @param group          Flatcar update channel ({@code stable}, {@code beta}...)
     * @param rebootStrategy {@code reboot}, {@code etcd-lock}, {@code best-effort} or {@code off}
     */
    public record UpdatePolicy(String group, String rebootStrategy) {
        public String updateConf() {
            return "GROUP=" + group + "\nREBOOT_STRATEGY=" + rebootStrategy + "\n";
        }
    }
}
