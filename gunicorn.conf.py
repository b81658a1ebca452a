"""gunicorn settings for Briefs API (``make serve``). Every value can be overridden
on the command line or with ``GUNICORN_CMD_ARGS``."""

import multiprocessing
import os

from deploy import onewrite

# A response's header and body leave in one write: a replica lost mid-answer can never hand
# nginx a header without its body, so nginx can always try the request on another replica.
onewrite.install()

bind = os.environ.get("BRIEFS_BIND", "127.0.0.1:8000")
# Sync workers, cores + 1: the most predictable latency tails for CPU-bound JSON.
workers = int(os.environ.get("BRIEFS_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the corpus once in the master, before fork: workers share its memory.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 2
# Recycle workers now and then (a guard against slow leaks), but rarely: a new worker starts
# with an empty response cache. At ~2,000 req/s per box this is every few minutes.
max_requests = 200000
max_requests_jitter = 20000
# Backstops above the application's own limits (BRIEFS_MAX_URL_BYTES 8000), which answer with problems.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# The app logs each request as a JSON line (api.logs); gunicorn logs only its own events.
accesslog = None
errorlog = "-"
