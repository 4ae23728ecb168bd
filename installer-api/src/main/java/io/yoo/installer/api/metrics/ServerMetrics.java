package io.yoo.installer.api.metrics;

/**
 * The one path from the protocol servers to {@code /metrics}, without a metrics library in their
 * modules: {@code DhcpServer.withMetrics} and {@code TftpServer.withMetrics} take this, their stats
 * objects ({@code DhcpStats}, {@code TftpStats}) report each counted outcome and the payload bytes
 * through it, and the HTTP module's {@code ProcessMetrics} (the process's one registry) implements it
 * and exports {@code yoo_requests_total{protocol,outcome}} and {@code yoo_served_bytes_total{protocol}}.
 * HTTP requests are counted by the HTTP module itself ({@code yoo_http_requests_total{route,status}}),
 * not through here, so nothing is counted twice. Implementations must be thread-safe and cheap (called
 * per packet / per request). Keep outcome names to a small fixed set per protocol (they become label
 * values), e.g. DHCP {@code offer}, {@code ack}, {@code nak}, {@code ignored}, {@code malformed};
 * TFTP {@code completed}, {@code not_found}, {@code refused}...
 */
public interface ServerMetrics {

    /** One request handled (a DHCP message, a TFTP request) and what became of it. */
    void request(String protocol, String outcome);

    /** Payload bytes sent to clients. */
    void bytesServed(String protocol, long bytes);

    /** Counts nothing: for tests and embedders without metrics. */
    ServerMetrics NOOP = new ServerMetrics() {
        @Override
        public void request(String protocol, String outcome) {}

        @Override
        public void bytesServed(String protocol, long bytes) {}
    };
}
