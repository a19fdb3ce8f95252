"""harvest: the department catalogue harvesters on ckanext-harvest (plugins
``shanghai_department_harvester`` and ``shanghai_dcat_harvester``).

``readers/`` and ``mapping.py`` are pure (no CKAN): importing this package must stay so.
"""
