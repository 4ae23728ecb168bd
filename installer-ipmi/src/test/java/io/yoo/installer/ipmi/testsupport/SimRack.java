package io.yoo.installer.ipmi.testsupport;

import io.yoo.installer.testsupport.NetNs;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Simulated BMCs (OpenIPMI ipmi_sim via ../shared/ipmi-sim/start-bmc.sh) on addresses
 * 10.77.{net}.N inside a namespace "bmcs", and a second namespace "client" joined to it by a
 * veth pair, holding 10.77.{net}.250, from where clients run ({@link #client()}). Nothing touches
 * the host's interfaces. Closing kills the simulators and deletes both namespaces.
 */
public final class SimRack implements AutoCloseable {
    public static final String USER = "admin";
    public static final String PASSWORD = "secret";

    private final NetNs bmcs;
    private final NetNs client;
    private final String bmcIf;
    private final int net;
    private final Path stateRoot;
    private final List<Bmc> started = new ArrayList<>();

    /** A running simulated BMC. */
    public record Bmc(String ip, String guidHex, String serial, String mac, Path state) {
        public Path callsLog() {
            return state.resolve("chassis/calls.log");
        }
    }

    private SimRack(NetNs bmcs, NetNs client, String bmcIf, int net, Path stateRoot) {
        this.bmcs = bmcs;
        this.client = client;
        this.bmcIf = bmcIf;
        this.net = net;
        this.stateRoot = stateRoot;
    }

    /** Needs root, netns, ipmi_sim, ipmitool, python3 (skips locally, fails in CI without them). */
    public static SimRack create(int net, Path stateRoot) throws IOException, InterruptedException {
        Peers.requireNetns();
        Peers.requireCommands("ipmi_sim", "ipmitool", "python3");
        Path kit = Peers.shared().resolve("ipmi-sim/start-bmc.sh");
        Peers.require(Files.isExecutable(kit), kit + " missing");
        NetNs b = NetNs.create("bmc");
        NetNs c;
        try {
            c = NetNs.create("cli");
        } catch (IOException | InterruptedException | RuntimeException e) {
            b.close();
            throw e;
        }
        try {
            String[] ifs = NetNs.link(b, "10.77." + net + ".254/24", c, "10.77." + net + ".250/24");
            return new SimRack(b, c, ifs[0], net, stateRoot);
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            b.close();
            throw e;
        }
    }

    public NetNs client() {
        return client;
    }

    public NetNs bmcNamespace() {
        return bmcs;
    }

    public String address(int host) {
        return "10.77." + net + "." + host;
    }

    /** Adds address 10.77.net.host to the BMC namespace without starting anything (a "nothing listens" target). */
    public String silentAddress(int host) throws IOException, InterruptedException {
        bmcs.exec(10, "ip", "addr", "add", address(host) + "/24", "dev", bmcIf);
        return address(host);
    }

    /** Starts a BMC at 10.77.net.host with GUID bytes, FRU serial and BMC MAC derived from {@code host}. */
    public Bmc start(int host) throws IOException, InterruptedException {
        return start(host, PASSWORD);
    }

    /** As {@link #start(int)}, but user admin's password is {@code password} (for wrong-credential tests). */
    public Bmc start(int host, String password) throws IOException, InterruptedException {
        String ip = silentAddress(host);
        String guid = String.format(Locale.ROOT, "4a1f3c2e7b774e2a9c1d%04x%08x", net, host);
        String serial = String.format(Locale.ROOT, "SN%02d%04d", net, host);
        String mac = String.format(Locale.ROOT, "02:77:00:%02x:%02x:%02x", net, host >> 8, host & 0xFF);
        Path state = stateRoot.resolve("bmc-" + host);
        Path kit = Peers.shared().resolve("ipmi-sim/start-bmc.sh");
        ProcessBuilder pb = new ProcessBuilder(kit.toString(), state.toString(), ip, guid, serial, bmcs.name());
        pb.environment().put("BMC_MAC", mac);
        run(pb, 60);
        Bmc bmc = new Bmc(ip, guid.toUpperCase(Locale.ROOT), serial, mac, state);
        started.add(bmc);
        if (!PASSWORD.equals(password)) {
            restart(bmc, password, false);
        }
        return bmc;
    }

    /** As {@link #start(int)}, but the BMC has no FRU device: it answers everything else (a partial answer). */
    public Bmc startWithoutFru(int host) throws IOException, InterruptedException {
        Bmc bmc = start(host);
        restart(bmc, PASSWORD, true);
        return bmc;
    }

    private void restart(Bmc bmc, String password, boolean dropFru) throws IOException, InterruptedException {
        kill(bmc);
        Path conf = bmc.state().resolve("lan.conf");
        String c = Files.readString(conf).replace("\"admin\" \"" + PASSWORD + "\"", "\"admin\" \"" + password + "\"");
        Files.writeString(conf, c);
        if (dropFru) {
            Path emu = bmc.state().resolve("bmc.emu");
            Files.writeString(emu, Files.readString(emu).replaceAll("(?m)^mc_add_fru_data.*\n", ""));
        }
        ProcessBuilder pb = new ProcessBuilder(bmcs.prefixed("ipmi_sim", "-c", conf.toString(), "-f",
                bmc.state().resolve("bmc.emu").toString(), "-s", bmc.state().resolve("sim").toString(), "-n"));
        pb.environment().put("BMC_STATE", bmc.state().toString());
        pb.redirectErrorStream(true).redirectOutput(bmc.state().resolve("ipmi_sim.log").toFile());
        Process p = pb.start();
        Files.writeString(bmc.state().resolve("ipmi_sim.pid"), Long.toString(p.pid()));
        for (int i = 0; i < 50; i++) {
            if (ipmitool(bmc.ip(), USER, password, "mc", "guid").exit() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("ipmi_sim with changed password did not answer on " + bmc.ip());
    }

    /** Runs ipmitool -I lanplus -C 3 from the client namespace. */
    public NetNs.Result ipmitool(String ip, String user, String password, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-C", "3", "-N", "1", "-R", "2", "-H", ip, "-U", user,
                "-P", password));
        cmd.addAll(List.of(args));
        return client.run(30, cmd.toArray(String[]::new));
    }

    private static void kill(Bmc bmc) throws IOException {
        Path pid = bmc.state().resolve("ipmi_sim.pid");
        if (Files.exists(pid)) {
            String p = Files.readString(pid).trim();
            ProcessHandle.of(Long.parseLong(p)).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
                h.onExit().join();
            });
        }
    }

    private static void run(ProcessBuilder pb, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", pb.command()) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Runs a Java main class from the test class path inside the client namespace; returns exit code and output. */
    public NetNs.Result java(int timeoutSeconds, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return client.run(timeoutSeconds, cmd.toArray(String[]::new));
    }

    /** Starts a Java main class from the test class path inside the BMC namespace (killed on close); output goes to {@code log}. */
    public Process javaInBmcs(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return bmcs.start(ProcessBuilder.Redirect.to(log.toFile()), cmd.toArray(String[]::new));
    }

    @Override
    public void close() {
        for (Bmc b : started) {
            try {
                kill(b);
            } catch (IOException | RuntimeException e) {
                // teardown: the namespace removal below kills what is left
            }
        }
        client.close();
        bmcs.close();
    }
}
