"""sop: shared by registrations and the LID catalog."""
