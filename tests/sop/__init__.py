"""Tests of the SOP table (sop/) and of on-site notices (notify/)."""
