package io.yoo.installer.cli;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.JdbcLeaseMirror;
import io.yoo.installer.core.state.LeaseRecord;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.util.Locale;

/** Hands the DHCP server's lease changes to the state database's lease mirror (queued, never blocking). */
record LeaseMirrorListener(JdbcLeaseMirror mirror) implements LeaseStore.Listener {

    @Override
    public void changed(Lease lease) {
        mirror.changed(new LeaseRecord(lease.address().toString(), lease.mac(), lease.client(),
                lease.state().name().toLowerCase(Locale.ROOT), lease.expires()));
    }

    @Override
    public void released(Ipv4 address) {
        mirror.released(address.toString());
    }
}
