package io.yoo.installer.core.boot;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The IP family a machine's request reached the server over. What is served in answer names the
 * server on that family ({@link BootUrls#forMachine}): a dual-stack machine that network-boots over
 * IPv6 keeps talking IPv6, one that boots over IPv4 keeps talking IPv4.
 */
public enum RequestFamily {
    IPV4,
    IPV6;

    /**
     * The family of a connection's address (its peer's or its local one: they are the same). Java
     * presents an IPv4 peer on a dual-stack ({@code ::}) socket as an {@code Inet4Address}, not as
     * {@code ::ffff:a.b.c.d}, so an IPv6 address here is a real IPv6 peer.
     */
    public static RequestFamily of(InetAddress address) {
        return address instanceof Inet6Address ? IPV6 : IPV4;
    }
}
