"""Notifications: what the change pipeline's subscribers put in the outbox, and its delivery."""
