"""One module per provider, named as the provider: its operations, answered as its spec says
(its `routes(state)`; found by docextract.sandbox.routing)."""
