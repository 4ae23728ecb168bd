-- Several servers on one PostgreSQL with network.ipv6: the DHCPv6 leases of the dynamic pools, the
-- truth every server answers from (as yoo_lease for DHCPv4), so two servers never give one address
-- to two clients. The address is the primary key; client is '<DUID hex>/<IAID>' (an IA is what
-- RFC 8415 binds addresses to). lease_state: bound, declined, or offered (an ADVERTISE's claim,
-- held for a few seconds: no lease). Released leases are deleted. Times are epoch seconds; updated_at
-- by the database's clock (what each server's once-a-second read of the others' leases asks by).
CREATE TABLE yoo_lease6 (
    address     VARCHAR(45)  PRIMARY KEY,
    client      VARCHAR(300) NOT NULL,
    mac         VARCHAR(64)  NOT NULL,
    lease_state VARCHAR(16)  NOT NULL,
    expires_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);
CREATE INDEX yoo_lease6_updated ON yoo_lease6 (updated_at);
