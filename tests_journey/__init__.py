"""The whole journey of the manual, in Chromium, against a real deployment (gunicorn, a Celery
worker and beat on PostgreSQL and Redis, as `make serve` runs them)."""
