package io.yoo.installer.cli;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.ipmi.oem.OemMacReader;
import io.yoo.installer.ipmi.plan.AddressRule;
import io.yoo.installer.ipmi.plan.DhcpdHostsWriter;
import io.yoo.installer.ipmi.plan.DnsmasqHostsWriter;
import io.yoo.installer.ipmi.plan.KeaReservationsWriter;
import io.yoo.installer.ipmi.plan.MachinesYamlWriter;
import io.yoo.installer.ipmi.plan.PlannedHost;
import io.yoo.installer.ipmi.plan.Planner;
import io.yoo.installer.ipmi.plan.ReportsJsonWriter;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.scan.BmcReport;
import io.yoo.installer.ipmi.scan.BmcScanner;
import io.yoo.installer.ipmi.scan.PinFile;
import io.yoo.installer.ipmi.scan.ScanListener;
import io.yoo.installer.ipmi.scan.ScanOptions;
import io.yoo.installer.ipmi.scan.ScanStatus;
import io.yoo.installer.ipmi.scan.Targets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yoo ipmi-scan}: asks BMCs who their machines are and writes an address plan. Wiring
 * only: scanning, the rule and the writers live in installer-ipmi.
 */
@Command(name = "ipmi-scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scan BMCs over IPMI and/or Redfish: BMC IP/MAC, system UUID (= DHCP option 97), FRU serial, host NIC MACs;",
            "assign host addresses and names by a rule; write dhcpd, dnsmasq, Kea and cluster.yml machines: entries.",
            "A BMC that is unreachable, refuses the login or answers partly is reported on its own line; the scan goes on."},
        footer = {"", "Rule language: integer expressions with + - * / %% ( ) over o1..o4 (BMC address octets) and n (scan position);",
            "templates put {expression} placeholders in text and may also use {index}. The seed's plan (the default):",
            "  --index '(o3 - 202) * 28 + o4' --address '10.12.1.{index}' --name 'core-1-{index}'"})
public final class IpmiScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BmcOptions bmc;

    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "BMC addresses: 10.0.0.5, 10.0.0.5-40, 10.0.0.5-10.0.1.9, 10.0.0.0/24.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-f", "--targets-file"}, paramLabel = "FILE", description = "File with one TARGET per line (# comments).")
    List<Path> targetFiles = new ArrayList<>();

    @Option(names = {"-p", "--protocol"}, paramLabel = "ipmi|redfish", split = ",",
            description = "Protocols to ask each BMC (default: ipmi). -p redfish,ipmi asks both and merges (Redfish first).")
    List<String> protocols = new ArrayList<>(List.of("ipmi"));

    @Option(names = {"-c", "--concurrency"}, description = "BMCs scanned at once (default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int concurrency;

    @Option(names = "--index", description = "Host index expression (default: ${DEFAULT-VALUE}).", defaultValue = "(o3 - 202) * 28 + o4")
    String indexRule;

    @Option(names = "--address", description = "Host address template (default: ${DEFAULT-VALUE}).", defaultValue = "10.12.1.{index}")
    String addressRule;

    @Option(names = "--name", description = "Host name template (default: ${DEFAULT-VALUE}).", defaultValue = "core-1-{index}")
    String nameRule;

    @Option(names = "--dhcpd", paramLabel = "FILE", description = "Write ISC dhcpd host entries ('-' = stdout).")
    Path dhcpd;

    @Option(names = "--dnsmasq", paramLabel = "FILE", description = "Write dnsmasq dhcp-host lines ('-' = stdout).")
    Path dnsmasq;

    @Option(names = "--kea", paramLabel = "FILE", description = "Write a Kea Dhcp4 config with reservations ('-' = stdout).")
    Path kea;

    @Option(names = "--kea-subnet", paramLabel = "CIDR", description = "Subnet of the Kea reservations (default: the /24 of the first host).")
    String keaSubnet;

    @Option(names = "--machines", paramLabel = "FILE", description = "Write cluster.yml machines: entries ('-' = stdout).")
    Path machines;

    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
            description = "Every BMC's report (and planned host) as JSON: alone, on stdout with nothing else there (the table goes to "
                    + "stderr); --json=FILE writes FILE.")
    Path json;

    @Option(names = "--role", description = "Role of the machines written (default: ${DEFAULT-VALUE}).", defaultValue = "worker")
    String role;

    @Option(names = "--machines-password-env", paramLabel = "VAR",
            description = "Variable the machines' bmc: blocks name for the password (default: " + BmcOptions.DEFAULT_PASSWORD_ENV + ").",
            defaultValue = BmcOptions.DEFAULT_PASSWORD_ENV)
    String machinesPasswordEnv;

    @Option(names = "--pin-file", paramLabel = "FILE",
            description = "Per-BMC Redfish certificate pins: lines 'ADDRESS SHA256' (BMCs not listed use --pin/--insecure/system trust).")
    Path pinFile;

    @Option(names = "--progress", negatable = true, description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Option(names = "--strict", description = "Exit 3 unless every BMC answered fully.")
    boolean strict;

    @Option(names = "--deadline-s", paramLabel = "SECONDS",
            description = "The most one BMC may take, all protocols and requests (default: ${DEFAULT-VALUE}); "
                    + "what it said by then is reported, the other BMCs are not held up.", defaultValue = "120")
    long deadlineSeconds;

    /** For tests: where the table and '-' outputs go. */
    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    /** A ParameterException thrown here is a usage error: picocli prints it with the usage and exits 2 (HelpSections). */
    @Override
    public Integer call() throws Exception {
        List<String> items = new ArrayList<>(targets);
        List<Ipv4> addresses;
        AddressRule rule;
        ScanOptions options;
        try {
            LinkedHashSet<Ipv4> all = new LinkedHashSet<>(Targets.parse(items));
            for (Path f : targetFiles) {
                all.addAll(Targets.parseFile(f));
            }
            addresses = List.copyOf(all);
            rule = AddressRule.parse(indexRule, addressRule, nameRule);
            List<BmcProtocol> ps = protocols.stream().map(BmcProtocol::parse).distinct().toList();
            if (deadlineSeconds < 1 || deadlineSeconds > 86_400) {
                throw new IllegalArgumentException("--deadline-s must be 1-86400");
            }
            options = new ScanOptions(bmc.user, bmc.resolvePassword(env), ps, concurrency, bmc.suite(), bmc.ipmiPort, bmc.timeout(),
                    bmc.retries, bmc.redfishScheme, bmc.redfishPort, bmc.auth(), bmc.trust(), OemMacReader.builtIn(),
                    pinFile == null ? Map.of() : PinFile.parse(pinFile), Duration.ofSeconds(deadlineSeconds));
            if (!role.equals("worker") && !role.equals("control-plane")) {
                throw new IllegalArgumentException("--role must be worker or control-plane");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + e.getMessage());
        }
        if (json != null && !json.toString().equals("-") && looksLikeTarget(json.toString())) {
            // "--json 10.0.0.5" took a target as the file name
            throw new ParameterException(spec.commandLine(), "--json took '" + json + "' as its FILE: write --json after the targets, "
                    + "or --json=FILE");
        }
        if (addresses.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no targets: give addresses, ranges, CIDRs or --targets-file");
        }
        // stdout carries only what was asked for there ('-' outputs); the table then goes to stderr
        PrintStream table = Stream.of(dhcpd, dnsmasq, kea, machines, json).anyMatch(p -> p != null && p.toString().equals("-"))
                ? err : out;
        boolean bar = progress != null ? progress : System.console() != null && System.console().isTerminal();
        ScanListener listener = bar ? new ScanProgress(err) : ScanListener.NONE;
        long start = System.nanoTime();
        List<BmcReport> reports = new BmcScanner(options).scan(addresses, listener);
        long ms = (System.nanoTime() - start) / 1_000_000;

        Planner.Plan plan = Planner.plan(reports, rule);
        printTable(table, reports, plan);
        Map<ScanStatus, Long> counts = reports.stream().collect(Collectors.groupingBy(BmcReport::status, Collectors.counting()));
        err.println("scanned " + reports.size() + " BMCs in " + ms + " ms: " + counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + "; " + plan.hosts().size() + " hosts planned");
        write(json, () -> ReportsJsonWriter.write(reports, plan)); // the reports, useful whether or not anything was planned
        if (plan.hosts().isEmpty()) {
            // an empty file would replace a good one and look like success to the next step
            boolean anyReached = reports.stream().anyMatch(BmcReport::reachedBmc);
            err.println("yoo ipmi-scan: nothing usable was planned (see each BMC's line); no dhcpd/dnsmasq/Kea/machines output written");
            return anyReached ? Yoo.EXIT_INVALID : Yoo.EXIT_ENVIRONMENT;
        }
        write(dhcpd, () -> DhcpdHostsWriter.write(plan.hosts()));
        write(dnsmasq, () -> DnsmasqHostsWriter.write(plan.hosts()));
        if (kea != null) {
            Ipv4Cidr subnet;
            try {
                subnet = keaSubnet != null ? Ipv4Cidr.parse(keaSubnet) : plan.hosts().isEmpty() ? Ipv4Cidr.parse("10.12.1.0/24")
                        : new Ipv4Cidr(new Ipv4(plan.hosts().getFirst().host().address().value() & 0xFFFFFF00), 24);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--kea-subnet: " + e.getMessage());
            }
            write(kea, () -> KeaReservationsWriter.write(plan.hosts(), subnet, 1));
        }
        write(machines, () -> MachinesYamlWriter.write(plan.hosts(), role, bmc.user, machinesPasswordEnv));
        boolean allOk = reports.stream().allMatch(r -> r.status() == ScanStatus.OK);
        return strict && !allOk ? Yoo.EXIT_ENVIRONMENT : Yoo.EXIT_OK;
    }

    private static boolean looksLikeTarget(String s) {
        try {
            Targets.parse(List.of(s));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One line per BMC; its scan problems and its plan problems (why its machine, or a value, was left out) at the end. */
    private void printTable(PrintStream out, List<BmcReport> reports, Planner.Plan plan) {
        Map<Ipv4, PlannedHost> byBmc = plan.hosts().stream().collect(Collectors.toMap(h -> h.report().address(), h -> h));
        String fmt = "%-15s %-11s %-7s %-17s %-36s %-14s %-14s %-15s %s%n";
        out.printf(fmt, "BMC", "STATUS", "PROTO", "BMC-MAC", "SYSTEM-UUID", "SERIAL", "NAME", "HOST-IP", "HOST-MACS / PROBLEMS");
        for (BmcReport r : reports) {
            PlannedHost h = byBmc.get(r.address());
            String tail = r.hostMacs().stream().map(Object::toString).collect(Collectors.joining(","));
            List<String> problems = new ArrayList<>(r.problems());
            problems.addAll(plan.problemsOf(r.address()));
            if (!problems.isEmpty()) {
                tail = (tail.isEmpty() ? "" : tail + " ") + String.join("; ", problems);
            }
            out.printf(fmt, r.address(), r.status(), r.protocol().key(), r.bmcMac().map(Object::toString).orElse("-"),
                    r.uuid().map(Object::toString).orElse("-"), r.serial().orElse("-").replaceAll("\\s", "_"),
                    h == null ? "-" : h.host().name(), h == null ? "-" : h.host().address(), tail);
        }
    }

    private void write(Path target, Supplier<String> content) throws IOException {
        if (target == null) {
            return;
        }
        if (target.toString().equals("-")) {
            out.print(content.get());
        } else {
            Files.writeString(target, content.get());
        }
    }
}
