"""Katalog LID: the city's catalogue of data-interoperability services and its link to SPLP."""
