"""Dataset schema with the Satu Data Indonesia field names (ckanext-scheming) + DCAT profile."""
