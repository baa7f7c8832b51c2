import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub_eu.settings")

app = Celery("hub_eu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
