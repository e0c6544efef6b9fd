"""Satu Data Kota Depok: the SOP "Interoperabilitas Data" as CKAN 2.11 plugins."""
