-- Open311 requests may give a position (lat/long) instead of an address: the registered home
-- nearest to it is found in a small box around it (service/open311/store.py nearest_home).
CREATE INDEX addresses_position_idx ON addresses (lat, lon) WHERE lat IS NOT NULL;
