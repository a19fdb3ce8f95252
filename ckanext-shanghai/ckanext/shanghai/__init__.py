"""The Shanghai open government data platform: CKAN plugins and shared code."""
