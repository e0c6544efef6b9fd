"""registration capability."""
