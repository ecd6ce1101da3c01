"""gunicorn's settings for serving Strategise in production (docs/deploy.md):

    gunicorn --config python:strategise.config.gunicorn strategise.config.wsgi

gunicorn also reads ``WEB_CONCURRENCY`` (worker processes) and ``FORWARDED_ALLOW_IPS``
(the TLS proxy's address) itself; command-line options override what is set here.
"""

import os

# Behind the TLS proxy on the same machine; a proxy elsewhere needs the address it reaches.
bind = [os.environ.get("STRATEGISE_BIND", "127.0.0.1:8000")]
# Two per core is gunicorn's advice; each process holds its own database connections.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A page (or the PDF minutes) that takes longer than this has gone wrong: restart the worker.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# One line per request and per error on standard output/error, for the journal.
accesslog = "-"
errorlog = "-"
