package io.yoo.installer.dhcp.v6.lease;

import java.io.IOException;
import java.util.List;

/**
 * Where DHCPv6 leases are kept when several servers share them (in {@code yoo serve}: PostgreSQL,
 * through installer-core's {@code JdbcLease6Ledger}), the DHCPv6 twin of the v4
 * {@code LeaseLedger}; this module knows no database, only this seam.
 *
 * <p>The server calls {@link #load} once at start, before it answers anything, and {@link #commit}
 * before a reply that gives a dynamic address leaves: a bind (REQUEST, RENEW, REBIND, rapid-commit
 * SOLICIT) is a {@link Lease6.State#BOUND} lease, an ADVERTISE's address is claimed first (a
 * change whose lease is {@link Lease6.State#OFFERED}: it takes only a free or expired address, and
 * is no lease for {@link #load} and {@link #recent}). A bind or claim the ledger refuses (it gives
 * the address to another client, bound or claimed by another server) is answered as the engine
 * answers an address held by another client: another address, or lifetimes 0 for a RENEW.
 * Reservations are not in the ledger: every server of a pair gives a reserved machine the same one.
 */
public interface Lease6Ledger {
    /** Every bound or declined lease the ledger holds. */
    List<Lease6> load() throws IOException;

    /**
     * Stores the changes in one transaction, durably.
     *
     * @return for each bind, claim or decline refused because the ledger gives the address to another
     *         client, that other client's lease (the holder), so the server learns it
     * @throws IOException when nothing was stored; the replies that depend on the changes must not leave
     */
    List<Lease6> commit(List<Change> changes) throws IOException;

    /**
     * Leases bound or declined (by any server) since the last call or {@link #load}, so a server
     * learns what the others gave; the server asks about once a second.
     */
    List<Lease6> recent() throws IOException;

    /** A lease that was bound, claimed (offered) or declined, or (released) given back by its client. */
    record Change(Lease6 lease, boolean released) {}
}
