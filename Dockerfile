# syntax=docker/dockerfile:1
# Satu Data Kota Depok: CKAN 2.11 + ckanext-splpdepok, served by gunicorn. The same image runs
# the web service and the jobs worker (see docker-compose.yml). Configuration: config/production.ini,
# filled from CKAN_* environment variables (database, Redis, site URL, secrets).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CKAN_INI=/srv/app/production.ini \
    CKAN_STORAGE_PATH=/var/lib/ckan \
    CKAN_SEARCH_PLUGIN=splpdepok_search \
    CKAN_SOLR_URL=http://solr:8983/solr/ckan \
    CKAN_SMTP_SERVER=localhost:25 \
    CKAN_SMTP_MAIL_FROM=satudata@depok.go.id \
    GUNICORN_WORKERS=2

# libpq-dev + gcc: psycopg2 (pinned by CKAN) builds from source; libmagic1: CKAN's upload checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev gcc libmagic1 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/app/src
# Dependencies first (a layer reused while only the extension changes).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY setup.py README.md MANIFEST.in ./
COPY ckanext-splpdepok ckanext-splpdepok
COPY scripts/compile_i18n.py scripts/compile_i18n.py
RUN python scripts/compile_i18n.py && pip install --no-deps .

COPY config/production.ini /srv/app/production.ini
COPY scripts/wsgi.py /srv/app/wsgi.py

RUN useradd --system --home-dir /srv/app --shell /usr/sbin/nologin ckan \
    && mkdir -p /var/lib/ckan \
    && chown -R ckan /var/lib/ckan
USER ckan
WORKDIR /srv/app
VOLUME /var/lib/ckan
EXPOSE 5000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD curl -fsS http://127.0.0.1:5000/api/3/action/status_show >/dev/null || exit 1

# Database tables (CKAN's and every enabled plugin's migrations), then the web server.
CMD ["sh", "-c", "ckan db init && ckan db upgrade && exec gunicorn --bind 0.0.0.0:5000 --workers \"$GUNICORN_WORKERS\" --threads 4 --timeout 120 --access-logfile - wsgi:application"]
