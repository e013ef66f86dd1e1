"""explorer surface."""
