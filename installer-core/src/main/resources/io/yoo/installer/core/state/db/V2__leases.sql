-- DHCP leases, mirrored from the DHCP server's journal (the journal stays authoritative for the
-- packet path; this table is what the API, other tools and other servers read). Released leases
-- are deleted. Times are epoch seconds (UTC), as in the journal.
CREATE TABLE yoo_lease (
    ip          VARCHAR(45)  PRIMARY KEY,
    mac         VARCHAR(64)  NOT NULL,
    client      VARCHAR(300) NOT NULL,
    lease_state VARCHAR(16)  NOT NULL,
    expires_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);
