-- Several servers on one PostgreSQL with network.ipv6 (issue #19): each server's DHCPv6 DUID in its
-- heartbeat row, so the others' rogue-DHCPv6 watch knows its answers (a DHCPv6 answer names its
-- server by DUID, not by a global address). NULL: the server runs no DHCPv6.
ALTER TABLE yoo_server ADD COLUMN dhcp6_duid VARCHAR(300);
