"""Rule types: one engine module per kind of rule, registered by name (see `base`)."""
