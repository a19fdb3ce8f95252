"""Signals of the portal plugin, for the other plugins to subscribe to (CKAN's ISignal)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

#: sent by ``ckan shanghai setup`` once the portal's seed is in place;
#: sender: the sysadmin's name; ``seeded``: whether seed datasets were loaded.
setup_done = tk.signals.ckanext.signal("shanghai_setup")

#: sent by ``ckan shanghai setup`` when the departments exist and the seed datasets are
#: about to be loaded; sender: the sysadmin's name. A plugin makes here what should
#: be queued first (the SODA sample table, the longest of all to validate).
seeding = tk.signals.ckanext.signal("shanghai_seeding")
