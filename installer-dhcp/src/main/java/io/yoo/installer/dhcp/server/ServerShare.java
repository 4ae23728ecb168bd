package io.yoo.installer.dhcp.server;

/**
 * This server's part of the work of several DHCP servers on one segment that share one lease
 * ledger (load balancing as Kea's HA {@code load-balancing} mode and RFC 3074): it is number
 * {@code index} (0-based) of {@code count} live servers, ordered alike by all of them. It answers
 * the clients whose {@link ClientBuckets bucket} modulo {@code count} is {@code index}, and
 * allocates first the pool addresses whose value modulo {@code count} is {@code index}, so that
 * while the servers agree on who is alive no two of them offer one address. {@link #ALL}: alone
 * (the others are dead, or unknown): answer every client, any address.
 */
public record ServerShare(int index, int count) {
    public static final ServerShare ALL = new ServerShare(0, 1);

    public ServerShare {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("server " + index + " of " + count);
        }
    }

    /** True when no other live server shares the clients. */
    public boolean alone() {
        return count == 1;
    }

    /** True when this server answers the clients of {@code bucket} (0-255). */
    public boolean answers(int bucket) {
        return bucket % count == index;
    }

    /** True when {@code ip} is in this server's part of the pools (no other live server allocates it first). */
    public boolean owns(int ip) {
        return Integer.remainderUnsigned(ip, count) == index;
    }

    @Override
    public String toString() {
        return alone() ? "all clients" : "server " + (index + 1) + " of " + count;
    }
}
