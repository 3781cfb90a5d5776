"""childprotect: the platform package (settings, urls, Celery) and the shared core app."""

from childprotect.celery import app as celery_app

__all__ = ["celery_app"]
