#!/bin/sh
# Secrets come as files (docker secrets, mounted read-only): every VAR_FILE named in the
# environment becomes VAR for the role, so no secret is in the image or on a command line.
set -eu
for file_var in $(env | sed -n 's/^\([A-Z0-9_]*_FILE\)=.*/\1/p'); do
  var="${file_var%_FILE}"
  eval "path=\${$file_var}"
  # shellcheck disable=SC2154
  value="$(cat "$path")"
  export "$var=$value"
  unset "$file_var"
done
rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
exec python -m ckanext.shanghai.stack "$@"
