-- PostgreSQL outages (issue #16): a server keeps the events it cannot commit in a local spool and
-- replays them when the database is back. Each event carries the id its server gave it; unique, so
-- an event whose commit outcome was unknown when the connection broke is never stored twice (the
-- replay skips an id that is already here). Events stored before this migration have none.
ALTER TABLE yoo_event ADD COLUMN write_id VARCHAR(36);
CREATE UNIQUE INDEX yoo_event_write_id ON yoo_event (write_id);
