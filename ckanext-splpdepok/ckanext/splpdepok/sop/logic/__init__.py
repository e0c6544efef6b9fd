"""CKAN-facing SOP code: the configured standards and the read action over the table."""
