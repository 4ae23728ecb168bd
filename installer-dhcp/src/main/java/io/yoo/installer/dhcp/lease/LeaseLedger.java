package io.yoo.installer.dhcp.lease;

import java.io.IOException;
import java.util.List;

/**
 * Where leases are kept when several servers share them (in {@code yoo serve}: PostgreSQL, through
 * installer-core's {@code JdbcLeaseLedger}); this module knows no database, only this seam.
 *
 * <p>The server calls {@link #load} once at start, before it answers anything, and {@link #commit}
 * on its sending thread once per batch: after the batch's journal lines are written and before
 * any of its replies leaves. A lease the ledger refuses (it holds the address for another client,
 * bound by another server) is taken back and a NAK goes instead of its ACK. A pool OFFER is claimed
 * first (a change whose lease is {@link Lease.State#OFFERED}: it takes only a free or expired
 * address, and is no lease for {@link #load} and {@link #recent}); refused, the server offers
 * another address.
 */
public interface LeaseLedger {
    /** Every bound or declined lease the ledger holds. */
    List<Lease> load() throws IOException;

    /**
     * Stores one batch's changes in one transaction, durably.
     *
     * @return for each bind or decline refused because the ledger gives the address to another
     *         client, that other client's lease (the holder), so the server learns it
     * @throws IOException when nothing was stored; the batch's ACKs must not leave
     */
    List<Lease> commit(List<Change> changes) throws IOException;

    /**
     * Leases bound or declined (by any server) since the last call or {@link #load}, so a server
     * learns what the others gave; the server asks about once a second.
     */
    List<Lease> recent() throws IOException;

    /** A lease that was bound or declined, or (released) given back by its client. */
    record Change(Lease lease, boolean released) {}
}
