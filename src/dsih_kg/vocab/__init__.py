"""The ontology's own pages: /def/dsih and /def/dsih/{Term} as HTML documentation and as RDF."""
