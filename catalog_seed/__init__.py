"""The seed catalogue of the portal, built as data: ``python -m catalog_seed build DIR``
(see ``build.py``). Nothing at the portal's runtime imports this package."""
