"""WSGI entry point for gunicorn (``scripts/portal up``, and the Dockerfile copies it to
/srv/app/wsgi.py): CKAN's app built from $CKAN_INI, with the ini's logging."""
import logging.config
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_INI = os.environ["CKAN_INI"]
logging.config.fileConfig(_INI, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_INI).get_config())
