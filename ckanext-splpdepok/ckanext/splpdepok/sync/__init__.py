"""sync capability."""
