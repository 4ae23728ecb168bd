package io.yoo.installer.core.assets.fetch;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The proxy downloads go through, written like the seed's {@code ALL_PROXY}:
 * {@code http://host:port} (plain requests absolute-form, HTTPS through {@code CONNECT}) or
 * {@code socks5://host:port} / {@code socks5h://host:port}. No proxy: {@link #direct()}.
 */
public record ProxySettings(Proxy.Type type, String host, int port) {

    public static ProxySettings direct() {
        return new ProxySettings(Proxy.Type.DIRECT, "", 0);
    }

    /**
     * @throws IllegalArgumentException with a message naming the value if it is not a proxy URL
     */
    public static ProxySettings parse(String url) {
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy '" + url + "' is not a URL (expected http://host:port or socks5://host:port)");
        }
        String scheme = Optional.ofNullable(u.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("proxy '" + url + "' has no host (expected http://host:port or socks5://host:port)");
        }
        if (u.getUserInfo() != null) {
            throw new IllegalArgumentException("proxy '" + url + "': user:password in proxy URLs is not supported yet");
        }
        return switch (scheme) {
            case "http" -> new ProxySettings(Proxy.Type.HTTP, u.getHost(), u.getPort() > 0 ? u.getPort() : 3128);
            case "socks", "socks5", "socks5h" -> new ProxySettings(Proxy.Type.SOCKS, u.getHost(), u.getPort() > 0 ? u.getPort() : 1080);
            default -> throw new IllegalArgumentException("proxy '" + url + "': unsupported scheme '" + scheme + "' (use http:// or socks5://)");
        };
    }

    /** From {@code ALL_PROXY}/{@code all_proxy}, like the seed; else {@link #direct()}. */
    public static ProxySettings fromEnvironment() {
        for (String name : new String[] {"ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"}) {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) {
                return parse(v);
            }
        }
        return direct();
    }

    public Proxy toProxy() {
        if (type == Proxy.Type.DIRECT) {
            return Proxy.NO_PROXY;
        }
        // unresolved: the proxy's name is looked up when connecting, as curl does
        return new Proxy(type, InetSocketAddress.createUnresolved(host, port));
    }

    @Override
    public String toString() {
        return switch (type) {
            case DIRECT -> "direct";
            case HTTP -> "http://" + host + ":" + port;
            case SOCKS -> "socks5://" + host + ":" + port;
        };
    }
}
