"""Import from the city's old CKAN portal, keeping dataset ids, names and resource URLs."""
