"""One module per provider: its operations, answered as its spec says."""
