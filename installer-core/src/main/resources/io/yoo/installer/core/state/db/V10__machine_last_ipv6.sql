-- A machine talking IPv6 (issue #19): the IPv6 address it last reported from or was seen with, beside
-- last_ip (its IPv4 one), so that neither family's overwrites the other's. NULL: never seen over IPv6.
ALTER TABLE yoo_machine ADD COLUMN last_ipv6 VARCHAR(45);
