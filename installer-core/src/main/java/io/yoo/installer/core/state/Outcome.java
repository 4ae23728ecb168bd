package io.yoo.installer.core.state;

import java.util.Locale;

/** What the state machine did with an event. */
public enum Outcome {
    /** The event moved the machine (state, phase or message changed); stored in its history. */
    APPLIED,
    /** Late or out-of-order (e.g. a step report after {@code installed}): kept in the history, state unchanged. */
    RECORDED,
    /** The same report again (a retried POST, a DHCP renewal): neither stored nor applied. */
    IGNORED,
    /**
     * The database is unreachable: the event is kept in the server's local spool and applied, in
     * order and with its original time, when the database is back. Not applied yet.
     */
    QUEUED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean stored() {
        return this == APPLIED || this == RECORDED;
    }
}
