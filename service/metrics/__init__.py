"""GET /metrics: the service's numbers in Prometheus's text format, for operators only.

Requests and connections are counted in each worker process and added up at scrape time
(prometheus-client's multiprocess mode, when `serve` runs several workers); the outbox and the
open cases by deadline are read from the database by the process that answers the scrape.
"""
