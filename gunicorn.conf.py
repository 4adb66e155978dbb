"""Gunicorn settings for every app node (read from the environment, sized from the CPU count)."""

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os

# glibc gives each thread its own malloc arena, and memory freed in one arena is not reused
# by another: with four threads a worker's peak grows by up to an image's worth per thread
# (measured: 114-158 MB after six photo uploads). Two arenas keep it at 114-133 MB. Set in
# the master before the workers fork, so every worker inherits it; MALLOC_ARENA_MAX in
# the environment still wins.
M_ARENA_MAX = -8
if "MALLOC_ARENA_MAX" not in os.environ:
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to set
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_ARENA_MAX, 2)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
preload_app = True
# Only the load balancer may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
# One JSON object per request on stdout, every value properly encoded.
logger_class = "trainingcenter.gunicorn_logging.JSONLogger"
# The control socket (gunicornc) only where asked for: by default every instance would
# share $HOME/.gunicorn/gunicorn.ctl, and several nodes can run on one machine.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
