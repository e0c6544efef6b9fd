"""CKAN-facing code of the demo capability: loading the demo data through the actions."""
