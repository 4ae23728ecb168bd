package io.yoo.installer.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.config.cloudconfig.CloudConfigRules;
import io.yoo.installer.core.config.ignition.IgnitionWriter;
import io.yoo.installer.core.config.kubeadm.KubeadmTopology;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code yoo validate --deep}: checks the control-plane shape of the architecture, renders every
 * machine's configs, install script and kubeadm file and reports what would go wrong on the
 * machine. Cloud-config gets {@link CloudConfigRules};
 * Ignition gets the checks Ignition makes beyond its JSON schema (spec version, no path or unit
 * twice); a descriptor value that cannot be rendered safely is reported with its field. (The
 * full upstream-schema check of Ignition runs in the tests, where the schema file is at hand.)
 */
public final class RenderedConfigCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ArtifactKind> KINDS =
            List.of(ArtifactKind.LIVE_CONFIG, ArtifactKind.INSTALLED_CONFIG, ArtifactKind.INSTALL_SCRIPT, ArtifactKind.KUBEADM);

    private RenderedConfigCheck() {}

    /** Problems as {@code "<machine> <kind>: <problem>"}; empty when every artifact renders cleanly. */
    public static List<String> problems(ClusterDescriptor cluster, MachineArtifacts artifacts) {
        List<String> out = new ArrayList<>(KubeadmTopology.problems(cluster));
        if (cluster.controlPlane().isEmpty()) {
            return out; // nothing can be rendered without a node to run kubeadm init
        }
        for (Machine m : cluster.machines()) {
            for (ArtifactKind kind : KINDS) {
                String where = m.name() + " " + kind.key() + ": ";
                Optional<Rendered> r;
                try {
                    r = artifacts.render(m.name(), kind);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    out.add(where + e.getMessage());
                    continue;
                }
                if (r.isEmpty()) {
                    out.add(where + "nothing rendered");
                    continue;
                }
                String text = r.get().text();
                if (kind == ArtifactKind.LIVE_CONFIG || kind == ArtifactKind.INSTALLED_CONFIG) {
                    List<String> p = text.startsWith("{") ? ignitionProblems(text) : CloudConfigRules.problems(text);
                    p.forEach(x -> out.add(where + x));
                }
            }
        }
        return out;
    }

    /** Ignition's own semantic checks that a schema cannot express. */
    public static List<String> ignitionProblems(String text) {
        List<String> p = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            p.add("not valid JSON: " + e.getOriginalMessage());
            return p;
        }
        if (!IgnitionWriter.SPEC_VERSION.equals(root.at("/ignition/version").asText())) {
            p.add("ignition.version: must be " + IgnitionWriter.SPEC_VERSION);
        }
        Set<String> paths = new HashSet<>();
        for (JsonNode f : root.at("/storage/files")) {
            String path = f.path("path").asText();
            if (!path.startsWith("/")) {
                p.add("storage.files: path '" + path + "' is not absolute");
            }
            if (!paths.add(path)) {
                p.add("storage.files: " + path + " appears twice (Ignition refuses duplicates)");
            }
        }
        Set<String> units = new HashSet<>();
        for (JsonNode u : root.at("/systemd/units")) {
            String name = u.path("name").asText();
            if (!units.add(name)) {
                p.add("systemd.units: " + name + " appears twice (Ignition refuses duplicates)");
            }
            Set<String> dropins = new HashSet<>();
            for (JsonNode d : u.path("dropins")) {
                if (!dropins.add(d.path("name").asText())) {
                    p.add("systemd.units." + name + ": drop-in " + d.path("name").asText() + " appears twice");
                }
            }
        }
        return p;
    }
}
