package io.yoo.installer.http.boot;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.match.MachineDirectory;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Decides whether a request may read a machine's secrets: the URL's token must be that
 * machine's token, and when the machine has a reserved address the request must come from it.
 * (matchbox serves any machine's config to whoever names its MAC; Tinkerbell trusts the source
 * address alone. Yoo wants both.)
 */
public final class ClientAccess {
    private final TokenCheck tokens;
    private final MachineDirectory machines;

    public ClientAccess(MachineTokens tokens, MachineDirectory machines) {
        this.tokens = new TokenCheck(tokens);
        this.machines = machines;
    }

    /** Allowed, or why not (for the log line and the metric). */
    public sealed interface Verdict {
        record Allowed(Machine machine) implements Verdict {}

        record Denied(String reason) implements Verdict {}
    }

    public Verdict withToken(String machine, String token, Optional<Ipv4> source) {
        Optional<Machine> m = machines.byName(machine);
        if (m.isEmpty()) {
            return new Verdict.Denied("no machine named '" + machine + "'");
        }
        if (!tokens.verify(machine, token)) {
            return new Verdict.Denied("wrong token for " + machine);
        }
        return fromReservedAddress(m.get(), source);
    }

    /**
     * As {@link #withToken(String, String, Optional)} for a request that may have come over IPv6
     * ({@code source6}: its IPv6 source, empty for IPv4): then it must come from the machine's
     * reserved IPv6 address.
     */
    public Verdict withToken(String machine, String token, Optional<Ipv4> source, Optional<InetAddress> source6) {
        Verdict v = withToken(machine, token, source);
        if (source6.isEmpty() || v instanceof Verdict.Allowed) {
            return v;
        }
        Optional<Machine> m = machines.byName(machine);
        return m.isPresent() && tokens.verify(machine, token) ? fromReservedAddress(m.get(), source, source6) : v;
    }

    /** As {@link #fromReservedAddress(Machine, Optional)}; over IPv6 the machine's reserved IPv6 address vouches. */
    public Verdict fromReservedAddress(Machine m, Optional<Ipv4> source, Optional<InetAddress> source6) {
        if (source6.isPresent()) {
            Optional<InetAddress> reserved6 = machines.reservedAddress6(m);
            if (reserved6.isPresent()) {
                // by the bytes: a scope id (link-local) must not tell two equal addresses apart
                return Arrays.equals(reserved6.get().getAddress(), source6.get().getAddress()) ? new Verdict.Allowed(m)
                        : new Verdict.Denied(m.name() + " must come from " + reserved6.get().getHostAddress() + " over IPv6, request came from "
                                + source6.get().getHostAddress());
            }
        }
        return fromReservedAddress(m, source);
    }

    /** For lookups by MAC (no token yet): only the source address can vouch. */
    public Verdict fromReservedAddress(Machine m, Optional<Ipv4> source) {
        if (m.ipv6Only()) {
            // no IPv4 address to vouch: only its reserved IPv6 address can (the overload above), else the token alone (no full DHCPv6)
            Optional<InetAddress> reserved6 = machines.reservedAddress6(m);
            return reserved6.isEmpty() ? new Verdict.Allowed(m) : new Verdict.Denied(m.name() + " is IPv6-only: it must come from "
                    + reserved6.get().getHostAddress() + " over IPv6, request came from " + source.map(Ipv4::toString).orElse("another address"));
        }
        Optional<Ipv4> reserved = machines.reservedAddress(m);
        if (reserved.isPresent() && !reserved.equals(source)) {
            return new Verdict.Denied(m.name() + " must come from " + reserved.get() + ", request came from "
                    + source.map(Ipv4::toString).orElse("a non-IPv4 address"));
        }
        return new Verdict.Allowed(m);
    }
}
