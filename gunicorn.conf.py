"""gunicorn settings for production (the Docker image and scripts/prod_smoke.sh): logs as JSON lines on
stdout, like Django's (observatory/settings.py, LOG_FORMAT), so one collector parses both."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A request that takes longer is killed; the Markdown renderer is linear, so none should.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
errorlog = "-"
# One JSON object per request; gunicorn escapes the quotes and backslashes of each value.
access_log_format = ('{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
                     '"query": "%(q)s", "status": "%(s)s", "bytes": "%(B)s", "duration_us": "%(D)s", '
                     '"user_agent": "%(a)s"}')
# The address that reaches gunicorn is the proxy's; the client's is computed by the site (NUM_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s", "rename_fields": {"levelname": "level"}},
        # Access lines are already JSON (access_log_format): written as they are.
        "raw": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "raw"},
    },
    # gunicorn merges this into its defaults, whose root logger names a "console" handler: replace it.
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
