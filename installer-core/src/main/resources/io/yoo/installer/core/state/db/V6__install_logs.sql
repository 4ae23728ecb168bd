-- Install logs (issue #17): the install script's whole output of one attempt (the machine's
-- generation), gzip-compressed, uploaded with the machine's token on success and on failure.
-- The server keeps the newest few attempts per machine. Times are epoch milliseconds (UTC).
CREATE TABLE yoo_install_log (
    machine      VARCHAR(253) NOT NULL,
    generation   INTEGER      NOT NULL,
    uploaded_at  BIGINT       NOT NULL,
    log_bytes    BIGINT       NOT NULL,
    content_gzip BYTEA        NOT NULL,
    PRIMARY KEY (machine, generation)
);
