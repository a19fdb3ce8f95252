# make run   — bootstrap (venv, dependencies) and serve the portal with the seed catalogue
# make test  — bootstrap and run the test suite, then CKAN's own search tests on our backend, on throw-away PostgreSQL and Redis
# make bench — bootstrap and run the benchmarks (figures printed as ratios)
# make lint  — ruff, mypy, and no import cycle among our packages
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
I18N   := ckanext-shanghai/ckanext/shanghai/portal/i18n

.PHONY: run test bench lint i18n clean

$(STAMP): requirements.txt requirements-dev.txt setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24" "setuptools>=70" wheel
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

BUNDLES_I18N := ckanext-shanghai/ckanext/shanghai/bundles/i18n
MO := $(I18N)/zh_Hans_CN/LC_MESSAGES/ckanext-shanghai.mo \
      $(BUNDLES_I18N)/zh_Hans_CN/LC_MESSAGES/ckanext-shanghai_bundles.mo

# compiled only when a catalogue changed (a second `make run` starts sooner)
i18n: $(MO)

$(I18N)/%/LC_MESSAGES/ckanext-shanghai.mo: $(I18N)/%/LC_MESSAGES/ckanext-shanghai.po $(STAMP)
	$(VENV)/bin/pybabel compile --domain=ckanext-shanghai --directory=$(I18N) --statistics

$(BUNDLES_I18N)/%/LC_MESSAGES/ckanext-shanghai_bundles.mo: $(BUNDLES_I18N)/%/LC_MESSAGES/ckanext-shanghai_bundles.po $(STAMP)
	$(VENV)/bin/pybabel compile --domain=ckanext-shanghai_bundles --directory=$(BUNDLES_I18N) --statistics

run: $(STAMP) i18n
	$(PY) -m ckanext.shanghai.stack run

test: $(STAMP) i18n
	$(PY) -m ckanext.shanghai.stack test --tier all -q

bench: $(STAMP) i18n
	$(PY) -m ckanext.shanghai.stack bench

lint: $(STAMP)
	$(VENV)/bin/ruff check ckanext-shanghai harvesters catalog_seed tests bench
	$(VENV)/bin/mypy
	$(PY) -m ckanext.shanghai.stack.import_cycles

clean:
	rm -rf $(VENV) .var
