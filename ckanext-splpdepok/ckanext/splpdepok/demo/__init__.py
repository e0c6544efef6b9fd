"""Demo data for a fresh portal: real Kota Depok agencies and realistic datasets."""
