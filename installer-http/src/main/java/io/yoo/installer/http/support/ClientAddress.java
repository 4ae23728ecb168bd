package io.yoo.installer.http.support;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv6Text;
import io.yoo.installer.core.boot.RequestFamily;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/** The request's source address as IPv4 (also when it arrives IPv4-mapped on an IPv6 socket). */
public final class ClientAddress {
    private ClientAddress() {}

    public static Optional<Ipv4> of(Request request) {
        // from the socket address itself: formatting it as text and parsing it back cost 10 % of
        // a boot-script request's CPU (Java already presents IPv4-mapped peers as Inet4Address)
        if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress isa
                && isa.getAddress() instanceof Inet4Address v4) {
            return Optional.of(Ipv4.of(v4.getAddress(), 0));
        }
        return parse(Request.getRemoteAddr(request));
    }

    /** The request's IPv6 source without its scope (empty for IPv4 and IPv4-mapped peers). */
    public static Optional<InetAddress> ipv6(Request request) {
        if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress isa
                && isa.getAddress() instanceof Inet6Address v6) {
            try {
                return Optional.of(InetAddress.getByAddress(v6.getAddress()));
            } catch (UnknownHostException e) {
                return Optional.empty(); // 16 bytes: cannot happen
            }
        }
        return Optional.empty();
    }

    /** {@link #ipv6} as text in RFC 5952's short form ({@code fd00:77::b1}), as the descriptor writes addresses. */
    public static Optional<String> ipv6Text(Request request) {
        return ipv6(request).map(a -> Ipv6Text.format(a.getAddress()));
    }

    /**
     * The family the request came over, which picks the server address the answer's URLs name
     * (installer-core's {@code MachineArtifacts.over}); IPv4-mapped peers on a {@code ::} socket are IPv4.
     */
    public static RequestFamily family(Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress isa && isa.getAddress() != null
                ? RequestFamily.of(isa.getAddress()) : RequestFamily.IPV4;
    }

    static Optional<Ipv4> parse(String addr) {
        if (addr == null) {
            return Optional.empty();
        }
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        if (a.toLowerCase(Locale.ROOT).startsWith("::ffff:")) {
            a = a.substring(7);
        }
        try {
            return Optional.of(Ipv4.parse(a));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
