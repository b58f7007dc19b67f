"""WSGI middleware and response helpers around the app: `cache` (ETags and the result cache), `metrics`
(`/metrics`) and `cors`.

Imports: `nipa_kg.server.store` (the data version) and `nipa_kg.core`; nothing above.
"""
