package io.yoo.installer.cli;

import io.yoo.installer.api.net.Ipv4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One IPv4 address (as /32) on one interface, added and removed with iproute2's {@code ip}: the
 * arguments are an {@link Ipv4} this class formats and an interface name checked here, never a
 * descriptor string passed on as it is, and no shell. Each call is bounded (5 s). Needs
 * CAP_NET_ADMIN.
 */
final class InterfaceAddress {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]{0,14}");
    private static final int TIMEOUT_SECONDS = 5;
    private final String iface;
    private final Ipv4 address;

    InterfaceAddress(String iface, Ipv4 address) {
        if (!NAME.matcher(iface).matches() || iface.equals(".") || iface.equals("..")) {
            throw new IllegalArgumentException("'" + iface + "' is not an interface name like eth1");
        }
        this.iface = iface;
        this.address = address;
    }

    /** Adds the address; one that is already there is left as it is. */
    void add() throws IOException {
        Result r = ip("-4", "address", "add", address + "/32", "dev", iface);
        if (r.exit != 0 && !r.output.contains("File exists")) {
            throw new IOException("ip address add " + address + "/32 dev " + iface + ": " + r.output.strip() + hint(r));
        }
    }

    /** Removes the address; one that is not there is fine. */
    void remove() throws IOException {
        Result r = ip("-4", "address", "del", address + "/32", "dev", iface);
        if (r.exit != 0 && !r.output.contains("Cannot assign requested address")) {
            throw new IOException("ip address del " + address + "/32 dev " + iface + ": " + r.output.strip() + hint(r));
        }
    }

    boolean present() throws IOException {
        Result r = ip("-4", "-o", "address", "show", "dev", iface);
        if (r.exit != 0) {
            throw new IOException("ip address show dev " + iface + ": " + r.output.strip());
        }
        return r.output.contains(" " + address + "/32 ");
    }

    @Override
    public String toString() {
        return address + " on " + iface;
    }

    private static String hint(Result r) {
        return r.output.contains("Operation not permitted") ? " (needs CAP_NET_ADMIN: run as root, or see the packaged yoo.service)" : "";
    }

    private record Result(int exit, String output) {}

    private static Result ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": no answer within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
