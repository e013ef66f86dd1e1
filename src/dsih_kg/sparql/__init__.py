"""sparql surface."""
