"""The protocol layer: `sparql` (SPARQL 1.1 Protocol, query operation), `graph_store` (Graph Store HTTP
Protocol, read side), `service_description`, `negotiation` (all content negotiation) and `context` (the
settings, store and query service the app hands its blueprints).

Imports: `nipa_kg.server.middleware`, `nipa_kg.server.query`, `nipa_kg.server.store`, `nipa_kg.core` and
`nipa_kg.server.settings`; never the site (a browser's query page is found by its endpoint name).
"""
