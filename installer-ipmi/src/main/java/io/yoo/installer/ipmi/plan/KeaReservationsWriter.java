package io.yoo.installer.ipmi.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.api.net.Ipv4Cidr;
import java.util.List;

/**
 * A Kea DHCPv4 configuration holding one subnet with the hosts' reservations (by the first host
 * MAC; BMC, serial and UUID go into {@code user-context}). Merge the {@code reservations} array
 * into an existing config, or start from this one. Hosts outside the subnet or without a MAC
 * are left out (listed in {@code user-context} of the subnet).
 */
public final class KeaReservationsWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KeaReservationsWriter() {}

    public static String write(List<PlannedHost> hosts, Ipv4Cidr subnet, int subnetId) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode dhcp4 = root.putObject("Dhcp4");
        ObjectNode s = dhcp4.putArray("subnet4").addObject();
        s.put("id", subnetId);
        s.put("subnet", subnet.toString());
        ArrayNode res = s.putArray("reservations");
        ArrayNode skipped = JSON.createArrayNode();
        for (PlannedHost h : hosts) {
            if (h.macs().isEmpty() || !subnet.isHostAddress(h.host().address())) {
                skipped.add(h.host().name() + (h.macs().isEmpty() ? ": no host MAC" : ": " + h.host().address() + " outside " + subnet));
                continue;
            }
            ObjectNode r = res.addObject();
            r.put("hw-address", h.macs().getFirst().toString());
            r.put("ip-address", h.host().address().toString());
            r.put("hostname", h.host().name());
            ObjectNode ctx = r.putObject("user-context");
            ctx.put("bmc", h.report().address().toString());
            h.report().serial().ifPresent(v -> ctx.put("serial", v));
            h.report().uuid().ifPresent(v -> ctx.put("uuid", v.toString()));
        }
        if (!skipped.isEmpty()) {
            s.putObject("user-context").set("yoo-skipped", skipped);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
