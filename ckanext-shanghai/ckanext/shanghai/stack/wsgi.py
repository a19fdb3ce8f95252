"""WSGI entry point for gunicorn (the ``web`` role): the CKAN app built from
``$CKAN_INI``, which refuses to serve a database whose migrations are behind and
answers 503 while PostgreSQL is out of reach.

gunicorn loads it in its master (``gunicorn_conf.preload_app``), where CKAN's logging
configuration (``fileConfig``) disables the loggers it does not name, gunicorn's own
among them: they are turned back on."""
from __future__ import annotations

import logging
import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

from . import roles

application = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
roles.refuse_if_behind("web")
roles.install_database_handler(application)
for _name in ("gunicorn.error", "gunicorn.access"):
    logging.getLogger(_name).disabled = False
