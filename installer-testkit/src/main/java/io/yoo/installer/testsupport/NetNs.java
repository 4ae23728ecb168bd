package io.yoo.installer.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test creates for itself and removes afterwards. Never connected to a
 * host interface: hosts are joined only by veth pairs between namespaces this class made.
 *
 * <pre>{@code
 * try (NetNs srv = NetNs.create("srv"); NetNs cli = NetNs.create("cli")) {
 *     NetNs.link(srv, "10.90.0.1/24", cli, "10.90.0.2/24");
 *     srv.exec(10, "ip", "addr");                 // run a command inside
 *     Process p = srv.start("dhcpd", "-f", ...);  // a long-running peer inside
 * }
 * }</pre>
 */
public final class NetNs implements AutoCloseable {
    private final String name;
    private final List<Process> processes = new ArrayList<>();

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates namespace {@code y<tag><random>} with loopback up. Requires root (see {@link Peers#requireNetns}). */
    public static NetNs create(String tag) throws IOException, InterruptedException {
        Peers.requireNetns();
        String name = "y" + tag + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        host(10, "ip", "netns", "add", name);
        NetNs ns = new NetNs(name);
        ns.exec(10, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /**
     * Joins two namespaces with a veth pair; each end gets the given address (CIDR form) and a
     * route for 255.255.255.255 so that sockets bound to 0.0.0.0 can broadcast.
     *
     * @return the interface names {@code [inA, inB]}
     */
    public static String[] link(NetNs a, String addrA, NetNs b, String addrB) throws IOException, InterruptedException {
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
        String ifA = "va" + suffix;
        String ifB = "vb" + suffix;
        host(10, "ip", "link", "add", ifA, "netns", a.name, "type", "veth", "peer", "name", ifB, "netns", b.name);
        a.up(ifA, addrA);
        b.up(ifB, addrB);
        return new String[] {ifA, ifB};
    }

    private void up(String iface, String cidr) throws IOException, InterruptedException {
        if (cidr != null) {
            exec(10, "ip", "addr", "add", cidr, "dev", iface);
        }
        exec(10, "ip", "link", "set", iface, "up");
        exec(10, "ip", "route", "replace", "255.255.255.255/32", "dev", iface); // replace: a namespace may get several links
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace; returns its combined output; throws on non-zero exit. */
    public String exec(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds, command);
        if (r.exit != 0) {
            throw new IOException("in netns " + name + ": " + String.join(" ", command) + " exited " + r.exit + ": " + r.output);
        }
        return r.output;
    }

    /** Runs a command inside the namespace and returns exit code and output. */
    public Result run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        return runHost(timeoutSeconds, prefixed(command));
    }

    /** Starts a long-running process inside the namespace; it is killed on {@link #close()}. */
    public Process start(ProcessBuilder.Redirect output, String... command) throws IOException {
        Process p = new ProcessBuilder(prefixed(command)).redirectErrorStream(true).redirectOutput(output).start();
        processes.add(p);
        return p;
    }

    public List<String> prefixed(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        try {
            // kill anything left inside, then delete the namespace (its veth ends go with it)
            Result pids = runHost(10, List.of("ip", "netns", "pids", name));
            for (String pid : pids.output.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    runHost(5, List.of("kill", "-9", pid));
                }
            }
            runHost(10, List.of("ip", "netns", "del", name));
        } catch (IOException | InterruptedException e) {
            // best effort: nothing else to do in a teardown
        }
    }

    public record Result(int exit, String output) {}

    private static void host(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result r = runHost(timeoutSeconds, List.of(command));
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " exited " + r.exit + ": " + r.output);
        }
    }

    private static Result runHost(int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(1000);
            return new Result(-1, "timeout after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        reader.join();
        return new Result(p.exitValue(), new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.UTF_8));
    }
}
