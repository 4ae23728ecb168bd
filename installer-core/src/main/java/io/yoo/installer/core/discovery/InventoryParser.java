package io.yoo.installer.core.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads the inventory a discovery live system POSTs: untrusted (anyone with a token for one MAC
 * may send anything), so it is bounded ({@link #MAX_BYTES}, {@link #MAX_DISKS}, {@link #MAX_NICS},
 * strings of at most {@link #MAX_TEXT} printable characters), every field has one type, unknown
 * fields are refused, and MACs, UUIDs and addresses must parse. The stored JSON is written anew
 * from the checked values, never copied from the body. An error names the field.
 *
 * <pre>
 * {"bootMac": "52:54:00:12:34:56",
 *  "system": {"vendor": "..", "product": "..", "serial": "..", "uuid": "8-4-4-4-12"},
 *  "cpu": {"model": "..", "count": 8},
 *  "memoryBytes": 17179869184,
 *  "disks": [{"name": "sda", "sizeBytes": 1, "model": "..", "rotational": false, "byId": "/dev/disk/by-id/.."}],
 *  "nics": [{"name": "eth0", "mac": "..", "driver": "..", "link": "up", "speedMbps": 1000,
 *            "lldp": {"chassis": "..", "system": "..", "port": ".."}}],
 *  "bmc": {"address": "10.0.0.5"}}
 * </pre>
 */
public final class InventoryParser {
    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_DISKS = 64;
    public static final int MAX_NICS = 64;
    public static final int MAX_TEXT = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");
    private static final Pattern BY_ID = Pattern.compile("/dev/disk/by-id/[A-Za-z0-9._:+@-]{1,100}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._:-]{1,32}");
    private static final Set<String> TOP = Set.of("bootMac", "system", "cpu", "memoryBytes", "disks", "nics", "bmc");
    private static final Set<String> SYSTEM = Set.of("vendor", "product", "serial", "uuid");
    private static final Set<String> CPU = Set.of("model", "count");
    private static final Set<String> DISK = Set.of("name", "sizeBytes", "model", "rotational", "byId");
    private static final Set<String> NIC = Set.of("name", "mac", "driver", "link", "speedMbps", "lldp");
    private static final Set<String> LLDP = Set.of("chassis", "system", "port");
    private static final Set<String> BMC = Set.of("address");
    private static final Set<String> LINK = Set.of("up", "down", "unknown");
    /** Placeholder serials and UUIDs firmware reports when nobody filled them in: no identity. */
    private static final Set<String> PLACEHOLDERS = Set.of("", "0", "none", "default string", "to be filled by o.e.m.",
            "not specified", "system serial number", "0123456789", "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "03000200-0400-0500-0006-000700080009");

    private InventoryParser() {}

    /** A bad inventory: the message names the field and what is wrong. */
    public static final class InvalidInventoryException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidInventoryException(String message) {
            super(message);
        }
    }

    public static Inventory parse(byte[] body) throws InvalidInventoryException {
        if (body.length > MAX_BYTES) {
            throw new InvalidInventoryException("inventory over " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidInventoryException("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInventoryException("body must be a JSON object");
        }
        return parse(root);
    }

    static Inventory parse(JsonNode root) throws InvalidInventoryException {
        only(root, TOP, "");
        ObjectNode out = JSON.createObjectNode();
        MacAddress bootMac = mac(required(root, "bootMac", ""), "bootMac");
        out.put("bootMac", bootMac.toString());

        Optional<UUID> uuid = Optional.empty();
        Optional<String> serial = Optional.empty();
        Optional<String> vendor = Optional.empty();
        Optional<String> product = Optional.empty();
        JsonNode system = object(root, "system", SYSTEM, "");
        if (system != null) {
            ObjectNode s = out.putObject("system");
            vendor = text(system, "vendor", "system.").map(v -> put(s, "vendor", v));
            product = text(system, "product", "system.").map(v -> put(s, "product", v));
            serial = text(system, "serial", "system.").map(v -> put(s, "serial", v)).filter(v -> !placeholder(v));
            Optional<String> u = text(system, "uuid", "system.");
            if (u.isPresent()) {
                UUID parsed = uuid(u.get(), "system.uuid");
                s.put("uuid", parsed.toString());
                uuid = placeholder(parsed.toString()) ? Optional.empty() : Optional.of(parsed);
            }
        }
        JsonNode cpu = object(root, "cpu", CPU, "");
        if (cpu != null) {
            ObjectNode c = out.putObject("cpu");
            text(cpu, "model", "cpu.").ifPresent(v -> c.put("model", v));
            count(cpu, "count", "cpu.", 1 << 16).ifPresent(v -> c.put("count", v));
        }
        count(root, "memoryBytes", "", Long.MAX_VALUE).ifPresent(v -> out.put("memoryBytes", v));

        ArrayNode disks = out.putArray("disks");
        List<JsonNode> diskNodes = array(root, "disks", MAX_DISKS);
        for (int i = 0; i < diskNodes.size(); i++) {
            String at = "disks[" + i + "].";
            JsonNode d = element(diskNodes.get(i), DISK, at);
            ObjectNode o = disks.addObject();
            o.put("name", device(required(d, "name", at), at + "name"));
            count(d, "sizeBytes", at, Long.MAX_VALUE).ifPresent(v -> o.put("sizeBytes", v));
            text(d, "model", at).ifPresent(v -> o.put("model", v));
            bool(d, "rotational", at).ifPresent(v -> o.put("rotational", v));
            Optional<String> byId = text(d, "byId", at);
            if (byId.isPresent()) {
                if (!BY_ID.matcher(byId.get()).matches()) {
                    throw new InvalidInventoryException(at + "byId: not a /dev/disk/by-id/ path");
                }
                o.put("byId", byId.get());
            }
        }

        ArrayNode nics = out.putArray("nics");
        List<MacAddress> macs = new ArrayList<>();
        List<JsonNode> nicNodes = array(root, "nics", MAX_NICS);
        for (int i = 0; i < nicNodes.size(); i++) {
            String at = "nics[" + i + "].";
            JsonNode n = element(nicNodes.get(i), NIC, at);
            ObjectNode o = nics.addObject();
            o.put("name", device(required(n, "name", at), at + "name"));
            MacAddress mac = mac(required(n, "mac", at), at + "mac");
            macs.add(mac);
            o.put("mac", mac.toString());
            text(n, "driver", at).ifPresent(v -> o.put("driver", v));
            Optional<String> link = text(n, "link", at);
            if (link.isPresent()) {
                if (!LINK.contains(link.get())) {
                    throw new InvalidInventoryException(at + "link: must be up, down or unknown");
                }
                o.put("link", link.get());
            }
            count(n, "speedMbps", at, 10_000_000).ifPresent(v -> o.put("speedMbps", v));
            JsonNode lldp = object(n, "lldp", LLDP, at);
            if (lldp != null) {
                ObjectNode l = o.putObject("lldp");
                for (String f : List.of("chassis", "system", "port")) {
                    text(lldp, f, at + "lldp.").ifPresent(v -> l.put(f, v));
                }
            }
        }
        if (!macs.isEmpty() && !macs.contains(bootMac)) {
            throw new InvalidInventoryException("bootMac: " + bootMac + " is none of the NICs' MACs");
        }
        if (new LinkedHashSet<>(macs).size() != macs.size()) {
            throw new InvalidInventoryException("nics: a MAC is listed twice");
        }
        JsonNode bmc = object(root, "bmc", BMC, "");
        if (bmc != null) {
            Optional<String> address = text(bmc, "address", "bmc.");
            if (address.isPresent()) {
                try {
                    out.putObject("bmc").put("address", Ipv4.parse(address.get()).toString());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInventoryException("bmc.address: not an IPv4 address");
                }
            }
        }
        try {
            return new Inventory(bootMac, uuid, serial, vendor, product, macs, JSON.writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String put(ObjectNode o, String field, String value) {
        o.put(field, value);
        return value;
    }

    private static boolean placeholder(String value) {
        return PLACEHOLDERS.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    private static void only(JsonNode o, Set<String> allowed, String at) throws InvalidInventoryException {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                throw new InvalidInventoryException(at + clip(name) + ": unknown field");
            }
        }
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }

    private static JsonNode required(JsonNode o, String field, String at) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInventoryException(at + field + ": missing");
        }
        return v;
    }

    private static JsonNode object(JsonNode o, String field, Set<String> allowed, String at) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new InvalidInventoryException(at + field + ": must be an object");
        }
        only(v, allowed, at + field + ".");
        return v;
    }

    private static JsonNode element(JsonNode v, Set<String> allowed, String at) throws InvalidInventoryException {
        if (!v.isObject()) {
            throw new InvalidInventoryException(at.substring(0, at.length() - 1) + ": must be an object");
        }
        only(v, allowed, at);
        return v;
    }

    private static List<JsonNode> array(JsonNode o, String field, int max) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidInventoryException(field + ": must be an array");
        }
        if (v.size() > max) {
            throw new InvalidInventoryException(field + ": more than " + max + " entries");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    private static Optional<String> text(JsonNode o, String field, String at) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new InvalidInventoryException(at + field + ": must be a string");
        }
        String s = v.asText().strip();
        if (s.length() > MAX_TEXT) {
            throw new InvalidInventoryException(at + field + ": longer than " + MAX_TEXT + " characters");
        }
        if (!PRINTABLE.matcher(s).matches()) {
            throw new InvalidInventoryException(at + field + ": only printable ASCII is accepted");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static Optional<Long> count(JsonNode o, String field, String at, long max) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw new InvalidInventoryException(at + field + ": must be a whole number from 0 to " + max);
        }
        return Optional.of(v.asLong());
    }

    private static Optional<Boolean> bool(JsonNode o, String field, String at) throws InvalidInventoryException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new InvalidInventoryException(at + field + ": must be true or false");
        }
        return Optional.of(v.asBoolean());
    }

    private static MacAddress mac(JsonNode v, String field) throws InvalidInventoryException {
        try {
            if (!v.isTextual() || v.asText().length() > 17) {
                throw new IllegalArgumentException();
            }
            return MacAddress.parse(v.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidInventoryException(field + ": not a MAC address");
        }
    }

    private static UUID uuid(String s, String field) throws InvalidInventoryException {
        if (!s.matches("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")) {
            throw new InvalidInventoryException(field + ": not a UUID");
        }
        return UUID.fromString(s);
    }

    private static String device(JsonNode v, String field) throws InvalidInventoryException {
        if (!v.isTextual() || !DEVICE.matcher(v.asText()).matches()) {
            throw new InvalidInventoryException(field + ": not a device name");
        }
        return v.asText();
    }
}
