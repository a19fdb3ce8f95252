#!/bin/sh
# First start of the db volume: the CKAN and DataStore databases, their owner, and the
# DataStore's read-only role (its table rights are granted by `migrate`). Passwords come
# from secret files, never from this script or a command line.
set -eu
ckan_pw="$(cat "$CKAN_DB_PASSWORD_FILE")"
ro_pw="$(cat "$DATASTORE_READONLY_PASSWORD_FILE")"
psql -v ON_ERROR_STOP=1 --username postgres -v ckan_pw="$ckan_pw" -v ro_pw="$ro_pw" <<'SQL'
CREATE ROLE ckan LOGIN PASSWORD :'ckan_pw';
CREATE ROLE datastore_ro LOGIN PASSWORD :'ro_pw';
CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE datastore OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
-- No extension is needed: the search index uses PostgreSQL's built-in full-text search.
\connect datastore
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE datastore TO datastore_ro;
SQL
