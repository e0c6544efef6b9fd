"""CKAN-facing code of the security capability: the strict input validators."""
