"""Throttling per client address and per account, shared by every process and replica.

`policy` decides (how many, how long); a store counts: PostgreSQL (`postgres_store`) by
default, Redis (`redis_store`) when REDIS_URL is set. `before_request` puts the per-address
limits on routes.
"""
