package io.yoo.installer.api.metrics;

/**
 * Where protocol servers count what they did, without depending on a metrics library: DHCP and
 * TFTP call this, the HTTP module implements it on Micrometer and serves it at {@code /metrics}.
 * Implementations must be thread-safe and cheap (called per packet / per request). Keep outcome
 * names to a small fixed set per protocol (they become label values), e.g. DHCP {@code offer},
 * {@code ack}, {@code nak}, {@code ignored}, {@code malformed}; TFTP {@code ok}, {@code not-found},
 * {@code error}; HTTP {@code 2xx}, {@code 4xx}...
 */
public interface ServerMetrics {

    /** One request handled (a DHCP packet, a TFTP transfer, an HTTP request). */
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
