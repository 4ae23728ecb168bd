package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.command.DeviceId;
import io.yoo.installer.ipmi.command.FruInventory;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import io.yoo.installer.ipmi.command.SystemGuid;
import io.yoo.installer.ipmi.session.IpmiAuthenticationException;
import io.yoo.installer.ipmi.session.IpmiClient;
import io.yoo.installer.ipmi.session.IpmiClientConfig;
import io.yoo.installer.ipmi.session.IpmiUnreachableException;
import io.yoo.installer.ipmi.codec.RakpHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Asks one BMC over IPMI everything the scan wants; each question may fail alone. */
final class IpmiProbe {
    private IpmiProbe() {}

    static BmcReport probe(Ipv4 address, ScanOptions o, Instant deadline) {
        IpmiClientConfig cfg = new IpmiClientConfig(new InetSocketAddress(address.toInetAddress(), o.ipmiPort()), o.username(),
                o.password(), o.cipherSuite(), RakpHandshake.PRIV_ADMINISTRATOR, o.timeout(), o.retries());
        IpmiClient c;
        try {
            c = IpmiClient.connect(cfg);
        } catch (IpmiUnreachableException e) {
            return BmcReport.failed(address, BmcProtocol.IPMI, ScanStatus.UNREACHABLE, "ipmi: " + e.getMessage());
        } catch (IpmiAuthenticationException e) {
            return BmcReport.failed(address, BmcProtocol.IPMI, ScanStatus.AUTH_FAILED, "ipmi: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return BmcReport.failed(address, BmcProtocol.IPMI, ScanStatus.ERROR, "ipmi: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        try (c) {
            Asker ask = new Asker(problems, deadline);
            Optional<DeviceId> dev = ask.ask("device id", c::deviceId);
            Optional<SystemGuid> guid = ask.ask("system guid", c::systemGuid);
            Optional<Ipv4> ip = ask.ask("lan ip", c::bmcAddress);
            Optional<MacAddress> mac = ask.ask("lan mac", c::bmcMac);
            Optional<FruInventory> fru = ask.ask("fru", () -> c.fru(0));
            fru.ifPresent(f -> f.problems().forEach(p -> problems.add("ipmi fru: " + p)));
            Optional<Boolean> power = ask.ask("chassis status", () -> c.chassisStatus().powerOn());
            List<MacAddress> hostMacs = dev.flatMap(d -> ask.ask("oem host macs",
                    () -> c.oemHostMacs(d.manufacturerId(), o.oemReaders()).orElse(List.of()))).orElse(List.of());
            return new BmcReport(address, problems.isEmpty() ? ScanStatus.OK : ScanStatus.PARTIAL, BmcProtocol.IPMI, ip, mac,
                    guid.map(SystemGuid::rawHex), guid.map(SystemGuid::uuid), fru.flatMap(FruInventory::serial),
                    fru.flatMap(f -> f.product().map(FruInventory.Product::name)),
                    fru.flatMap(f -> f.product().map(FruInventory.Product::manufacturer)), power, hostMacs, problems);
        }
    }

    interface Question<T> {
        T ask() throws IOException, IpmiCommandException;
    }

    /** Asks one question at a time, each failing alone; none is asked once the BMC's deadline has passed. */
    private record Asker(List<String> problems, Instant deadline) {
        <T> Optional<T> ask(String what, Question<T> q) {
            if (Instant.now().isAfter(deadline)) {
                problems.add("ipmi " + what + ": not asked, the deadline for this BMC passed");
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(q.ask());
            } catch (IOException | IpmiCommandException | RuntimeException e) {
                problems.add("ipmi " + what + ": " + e.getMessage());
                return Optional.empty();
            }
        }
    }
}
