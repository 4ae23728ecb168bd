package io.yoo.installer.http.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.http.support.Responses;
import java.util.LinkedHashMap;
import java.util.Map;

/** A discovered machine as the API shows it (its inventory as a JSON object, as stored). */
final class DiscoveryJson {
    private DiscoveryJson() {}

    static Map<String, Object> of(DiscoveredMachine d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("mac", d.mac());
        v.put("uuid", d.uuid().orElse(null));
        v.put("serial", d.serial().orElse(null));
        v.put("status", d.status().key());
        v.put("heldReason", d.heldReason().orElse(null));
        v.put("source", d.source().orElse(null));
        v.put("firstSeen", d.firstSeen().toString());
        v.put("lastSeen", d.lastSeen().toString());
        v.put("reports", d.reports());
        try {
            v.put("inventory", Responses.JSON.readTree(d.inventory()));
        } catch (JsonProcessingException e) {
            // written by InventoryParser, so always JSON; say so rather than fail the whole list
            v.put("inventory", null);
        }
        return v;
    }

}
