-- Several servers on one PostgreSQL (issue #16).
-- Secrets every server of a cluster must share, so they all render the same boot scripts and
-- configs: the machine-token secret and the cluster's CAs and keys. Each value is sealed with
-- AES-256-GCM under the key in server.secretKeyFile (base64 of nonce || ciphertext || tag, the
-- row's name as associated data): the database never holds them in clear. The first server to
-- insert a name wins; a row is never replaced.
CREATE TABLE yoo_shared_secret (
    name        VARCHAR(64)     PRIMARY KEY,
    sealed      VARCHAR(100000) NOT NULL,
    created_at  BIGINT          NOT NULL,
    created_by  VARCHAR(253)    NOT NULL
);
