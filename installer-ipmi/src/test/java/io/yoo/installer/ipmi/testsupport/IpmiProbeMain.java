package io.yoo.installer.ipmi.testsupport;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.command.BootOptions;
import io.yoo.installer.ipmi.command.ChassisControl;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.scan.BmcReport;
import io.yoo.installer.ipmi.scan.BmcScanner;
import io.yoo.installer.ipmi.scan.ScanOptions;
import io.yoo.installer.ipmi.scan.Targets;
import io.yoo.installer.ipmi.session.IpmiClient;
import io.yoo.installer.ipmi.session.IpmiClientConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the IPMI client inside a test namespace (tests start it with {@link SimRack#java}) and
 * prints results as {@code key=value|...} lines the test parses.
 * <pre>
 *   scan USER PASSWORD TARGET...          one line per BMC
 *   control IP USER PASSWORD SUITE ACTION  ACTION: pxe-once-efi | pxe-persistent | on | off | cycle | reset | status
 *   merge USER PASSWORD REDFISH_PORT PIN TARGET...  -p redfish,ipmi
 *   sessions IP USER PASSWORD N            opens and closes N sessions one after another
 * </pre>
 */
public final class IpmiProbeMain {
    private IpmiProbeMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "scan" -> scan(args[1], args[2], Arrays.asList(args).subList(3, args.length));
            case "control" -> control(args[1], args[2], args[3], CipherSuite.parse(args[4]), args[5]);
            case "merge" -> merge(args[1], args[2], Integer.parseInt(args[3]), args[4], Arrays.asList(args).subList(5, args.length));
            case "sessions" -> sessions(args[1], args[2], args[3], Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void merge(String user, String password, int port, String pin, List<String> targets) throws InterruptedException {
        print(Targets.parse(targets), ScanOptions.ipmi(user, password).withIpmi(CipherSuite.SUITE_3, 623, Duration.ofMillis(700), 2)
                .withProtocols(List.of(BmcProtocol.REDFISH, BmcProtocol.IPMI))
                .withRedfish("https", port, RedfishConfig.Auth.SESSION, TlsTrust.pinned(pin)));
    }

    private static void scan(String user, String password, List<String> targets) throws InterruptedException {
        print(Targets.parse(targets), ScanOptions.ipmi(user, password).withIpmi(CipherSuite.SUITE_3, 623, Duration.ofMillis(700), 2));
    }

    private static void print(List<Ipv4> t, ScanOptions o) throws InterruptedException {
        for (BmcReport r : new BmcScanner(o).scan(t, (rep, d, n) -> { })) {
            System.out.println("address=" + r.address() + "|status=" + r.status() + "|guid=" + r.guidHex().orElse("")
                    + "|uuid=" + r.uuid().map(Object::toString).orElse("") + "|serial=" + r.serial().orElse("")
                    + "|mac=" + r.bmcMac().map(Object::toString).orElse("") + "|ip=" + r.bmcIp().map(Object::toString).orElse("")
                    + "|product=" + r.product().orElse("")
                    + "|hostMacs=" + r.hostMacs().stream().map(Object::toString).collect(Collectors.joining(",")) + "|power=" + r.powerOn().map(Object::toString).orElse("")
                    + "|problems=" + r.problems().stream().collect(Collectors.joining("; ")).replace('|', '/'));
        }
    }

    private static void sessions(String ip, String user, String password, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (IpmiClient c = IpmiClient.connect(IpmiClientConfig.of(ip, user, password))) {
                c.systemGuid();
            }
        }
        System.out.println("sessions=" + n);
    }

    private static void control(String ip, String user, String password, CipherSuite suite, String action) throws Exception {
        IpmiClientConfig cfg = IpmiClientConfig.of(ip, user, password).withCipherSuite(suite);
        try (IpmiClient c = IpmiClient.connect(cfg)) {
            switch (action) {
                case "pxe-once-efi" -> c.setBootOptions(new BootOptions(BootOptions.BootDevice.PXE, false, true));
                case "pxe-persistent" -> c.setBootOptions(new BootOptions(BootOptions.BootDevice.PXE, true, false));
                case "on" -> c.chassisControl(ChassisControl.POWER_ON);
                case "off" -> c.chassisControl(ChassisControl.POWER_OFF);
                case "cycle" -> c.chassisControl(ChassisControl.POWER_CYCLE);
                case "reset" -> c.chassisControl(ChassisControl.HARD_RESET);
                case "status" -> { }
                default -> throw new IllegalArgumentException(action);
            }
            System.out.println("power=" + c.chassisStatus().powerOn() + "|boot=" + c.bootOptions().device() + "|dropped="
                    + c.session().dropped());
        }
    }
}
