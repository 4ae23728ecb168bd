package io.yoo.installer.ipmi.plan;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.scan.BmcReport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A scanned machine with its assigned address and name. */
public record PlannedHost(BmcReport report, HostAssignment host) {

    /** Host NIC MACs, without the BMC's own MAC (which must never get the host's lease). */
    public List<MacAddress> macs() {
        LinkedHashSet<MacAddress> m = new LinkedHashSet<>(report.hostMacs());
        report.bmcMac().ifPresent(m::remove);
        return new ArrayList<>(m);
    }

    /** A one-line description for comments: BMC, serial, UUID. Only characters safe in any config comment. */
    public String describe() {
        StringBuilder sb = new StringBuilder("BMC ").append(report.address());
        report.serial().ifPresent(s -> sb.append(" serial ").append(s));
        report.uuid().ifPresent(u -> sb.append(" uuid ").append(u));
        return sb.toString().replaceAll("[^A-Za-z0-9 .:_/+-]", "?");
    }
}
