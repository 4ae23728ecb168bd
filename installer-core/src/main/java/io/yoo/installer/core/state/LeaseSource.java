package io.yoo.installer.core.state;

import java.util.List;

/** Where the current DHCP leases can be read (the state database's lease mirror in {@code yoo serve}). */
@FunctionalInterface
public interface LeaseSource {
    /** None: a server without a DHCP server of its own, or without a lease mirror. */
    LeaseSource NONE = List::of;

    /** The leases now, newest state per address; throws when the source cannot be read. */
    List<LeaseRecord> leases() throws Exception;
}
