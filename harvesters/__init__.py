"""Department catalogue formats and their stand-ins, for `make run`, tests and the benchmark.

Not CKAN code: the catalogue system's API (``testing_server``), the districts'
portals (``district_portal``), the generator of the department catalogues
(``catalogue_generator``) and the data they serve. The harvest plugin
(``ckanext.shanghai.harvest``) reads this data by the paths below, as the portal reads
``schemas``, and never imports the modules.
"""
from pathlib import Path

DIRECTORY = Path(__file__).parent
#: the seed department catalogues (the default catalogue folder of the harvest plugin)
CATALOGUES = DIRECTORY / "catalogues"
#: the seed's harvest sources: one per department catalogue of ``CATALOGUES``
SEED_SOURCES = CATALOGUES / "sources.yaml"
#: the district portals' datasets, one folder per district
DISTRICTS = DIRECTORY / "districts"
