package io.yoo.installer.ipmi.control;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A BMC address as the descriptor's {@code bmc.address} and {@code --bmc} take it: {@code host},
 * {@code host:port}, {@code [v6]} or {@code [v6]:port}; a bare IPv6 address (more than one
 * colon, no brackets) is a host without port. The one place these forms are parsed, so IPMI
 * and Redfish read them alike; a port given here wins over the protocol's default port.
 *
 * @param host  a DNS name, IPv4 address or IPv6 address (without brackets)
 * @param port  the port, if the address names one
 */
public record BmcAddress(String host, OptionalInt port) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

    public static BmcAddress parse(String text) {
        String t = text.strip();
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("BMC address '" + t + "': '[' without ']'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("BMC address '" + t + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
            if (!isV6(host)) {
                throw new IllegalArgumentException("BMC address '" + t + "': '" + host + "' in brackets is not an IPv6 address");
            }
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            host = t; // bare IPv6, no port
            if (!isV6(host)) {
                throw new IllegalArgumentException("BMC address '" + t + "' is not an IPv6 address (write [v6]:port to give a port)");
            }
        } else {
            int colon = t.indexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            port = colon < 0 ? null : t.substring(colon + 1);
            if (!NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("BMC address '" + t + "': '" + host + "' is not a host name or address");
            }
        }
        OptionalInt p = OptionalInt.empty();
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("BMC address '" + t + "': port '" + port + "' is not 1-65535");
            }
            p = OptionalInt.of(Integer.parseInt(port));
        }
        return new BmcAddress(host, p);
    }

    /** An IPv6 literal (no zone: BMCs are reached by global or ULA addresses); parsed without any DNS lookup. */
    private static boolean isV6(String host) {
        if (!host.matches("[0-9A-Fa-f:.]{2,45}")) {
            return false;
        }
        try {
            return InetAddress.ofLiteral(host) instanceof Inet6Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public int portOr(int defaultPort) {
        return port.orElse(defaultPort);
    }

    /** Where to send IPMI datagrams: this address's port, else {@code defaultPort} (623). */
    public InetSocketAddress socketAddress(int defaultPort) {
        return new InetSocketAddress(host, portOr(defaultPort));
    }

    /** The Redfish base URI, {@code scheme://host:port} with IPv6 in brackets. */
    public URI uri(String scheme, int defaultPort) {
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + portOr(defaultPort));
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port.isPresent() ? h + ":" + port.getAsInt() : h;
    }
}
