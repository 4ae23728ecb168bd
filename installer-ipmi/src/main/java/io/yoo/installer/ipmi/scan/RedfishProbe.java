package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.redfish.RedfishClient;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.RedfishException;
import io.yoo.installer.ipmi.redfish.RedfishManagerNic;
import io.yoo.installer.ipmi.redfish.RedfishSystem;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Asks one BMC over Redfish: the first system's UUID, serial, NIC MACs; the BMC's own NIC. */
final class RedfishProbe {
    private RedfishProbe() {}

    static BmcReport probe(Ipv4 address, ScanOptions o, Instant deadline) {
        URI base = URI.create(o.redfishScheme() + "://" + address + ":" + o.redfishPort());
        RedfishConfig cfg = new RedfishConfig(base, o.username(), o.password(), o.redfishAuth(), o.trustFor(address),
                o.timeout().multipliedBy(o.retries() + 1L).plusSeconds(2));
        RedfishClient c;
        try {
            c = RedfishClient.connect(cfg, deadline);
        } catch (RedfishException e) {
            boolean silent = e.status() == -1 || e.status() == RedfishClient.TIMED_OUT;
            ScanStatus s = e.unauthorized() ? ScanStatus.AUTH_FAILED : silent ? ScanStatus.UNREACHABLE : ScanStatus.ERROR;
            if (e.getMessage().contains("TLS failed")) {
                s = ScanStatus.ERROR;
            }
            return BmcReport.failed(address, BmcProtocol.REDFISH, s, "redfish: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return BmcReport.failed(address, BmcProtocol.REDFISH, ScanStatus.ERROR, "redfish: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        try (c) {
            Optional<RedfishSystem> sys = Optional.empty();
            try {
                List<String> systems = c.systemPaths();
                if (systems.isEmpty()) {
                    problems.add("redfish: no ComputerSystem");
                } else {
                    if (systems.size() > 1) {
                        problems.add("redfish: " + systems.size() + " systems, reporting the first (" + systems.getFirst() + ")");
                    }
                    sys = Optional.of(c.system(systems.getFirst()));
                }
            } catch (IOException | RuntimeException e) {
                problems.add("redfish systems: " + e.getMessage());
            }
            Optional<MacAddress> bmcMac = Optional.empty();
            Optional<Ipv4> bmcIp = Optional.empty();
            try {
                List<RedfishManagerNic> nics = c.managerNics();
                // the BMC NIC is the one holding the address we reached it on, else the first with a MAC
                Optional<RedfishManagerNic> nic = nics.stream().filter(n -> n.ipv4().contains(address)).findFirst()
                        .or(() -> nics.stream().filter(n -> n.mac().isPresent() && !n.ipv4().isEmpty()).findFirst());
                bmcMac = nic.flatMap(RedfishManagerNic::mac);
                bmcIp = nic.flatMap(n -> n.ipv4().stream().findFirst());
                if (nic.isEmpty()) {
                    problems.add("redfish managers: no BMC network interface reported");
                }
            } catch (IOException | RuntimeException e) {
                problems.add("redfish managers: " + e.getMessage());
            }
            c.notes().forEach(n -> problems.add("redfish: " + n));
            RedfishSystem s = sys.orElse(null);
            return new BmcReport(address, problems.isEmpty() ? ScanStatus.OK : ScanStatus.PARTIAL, BmcProtocol.REDFISH, bmcIp, bmcMac,
                    Optional.empty(), s == null ? Optional.empty() : s.uuid(), s == null ? Optional.empty() : nonEmpty(s.serial()),
                    s == null ? Optional.empty() : nonEmpty(s.model()), s == null ? Optional.empty() : nonEmpty(s.manufacturer()),
                    s == null ? Optional.empty() : Optional.of("On".equalsIgnoreCase(s.powerState())),
                    s == null ? List.of() : s.hostMacs(), problems);
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
