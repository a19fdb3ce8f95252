# ckanext is a namespace shared with CKAN and its other extensions.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
