"""Webhooks: a corporation's own systems hear of changes to its cases by signed HTTP POSTs
(Standard Webhooks), queued in each change's transaction and sent by the worker."""
