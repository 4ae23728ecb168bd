-- Several servers on one PostgreSQL (issue #16): each server's heartbeat, so every server can list
-- them all (GET /api/v1/servers, the UI) and its DHCP watch knows its peers' addresses (they are not
-- foreign DHCP servers). One row per server (id: host name and install-network address), written at
-- start and every few seconds; times are epoch seconds by the database's clock.
CREATE TABLE yoo_server (
    id            VARCHAR(300)  PRIMARY KEY,
    host          VARCHAR(253)  NOT NULL,
    addresses     VARCHAR(2000) NOT NULL,
    version       VARCHAR(100)  NOT NULL,
    started_at    BIGINT        NOT NULL,
    heartbeat_at  BIGINT        NOT NULL,
    server_state  VARCHAR(16)   NOT NULL
);
