"""Tests of the Katalog LID and its SPLP adapter."""
