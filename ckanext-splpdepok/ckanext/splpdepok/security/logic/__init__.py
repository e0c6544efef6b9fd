"""CKAN-facing code of the security capability: the request guard and the strict input
validators."""
