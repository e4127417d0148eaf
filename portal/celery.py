import os

from celery import Celery

from portal.logging import celery_logging_connect

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Worker and beat log like the web processes, with the request id of the queuing request.
celery_logging_connect()
