"""Hostile input, failing networks and outages: what must still hold (issue 10)."""
