"""reconcile surface."""
