package io.yoo.installer.core.config.ignition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.core.config.model.FileSpec;
import io.yoo.installer.core.config.model.HostConfig;
import io.yoo.installer.core.config.model.UnitSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Serialises a {@link HostConfig} as an Ignition spec 3.4 document. Built as a Jackson tree, so
 * every string is escaped by the library; file contents travel as base64 {@code data:} URLs.
 */
public final class IgnitionWriter {
    public static final String SPEC_VERSION = "3.4.0";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String write(HostConfig host) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("ignition").put("version", SPEC_VERSION);

        ObjectNode core = root.putObject("passwd").putArray("users").addObject().put("name", "core");
        ArrayNode keys = core.putArray("sshAuthorizedKeys");
        host.sshKeys().forEach(keys::add);

        ArrayNode files = root.putObject("storage").putArray("files");
        file(files, new FileSpec("/etc/hostname", 0644, host.hostname() + "\n"));
        for (FileSpec f : host.files()) {
            if (!f.path().equals("/etc/hostname")) {
                file(files, f);
            }
        }
        host.network().ifPresent(n -> file(files, new FileSpec("/etc/systemd/network/" + n.name(), 0644, n.content())));
        host.update().ifPresent(u -> file(files, new FileSpec("/etc/flatcar/update.conf", 0644, u.updateConf())));

        ArrayNode units = root.putObject("systemd").putArray("units");
        for (UnitSpec u : host.units()) {
            ObjectNode unit = units.addObject().put("name", u.name());
            if (u.content().isPresent()) {
                unit.put("enabled", u.enabled()).put("contents", u.content().get());
            } else if (u.enabled()) {
                unit.put("enabled", true);
            }
            if (!u.dropins().isEmpty()) {
                ArrayNode d = unit.putArray("dropins");
                u.dropins().forEach(x -> d.addObject().put("name", x.name()).put("contents", x.content()));
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void file(ArrayNode files, FileSpec f) {
        ObjectNode n = files.addObject().put("path", f.path()).put("mode", f.mode()).put("overwrite", true);
        n.putObject("contents").put("source", dataUrl(f.content()));
    }

    static String dataUrl(String text) {
        return "data:;base64," + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
