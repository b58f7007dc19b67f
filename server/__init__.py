"""The SPARQL endpoint and linked-data site.

Layout: `app.create_app(settings, store)` builds the Flask app from one blueprint per surface
(`sparql`: SPARQL 1.1 query + service description at /sparql; `graph_store`: Graph Store Protocol, read
side; `site`: the human pages). `settings` is the one settings object, `store` the `store.Store` (the
embedded pyoxigraph one, or `remote_store.RemoteStore` over an external SPARQL store, whose endpoints
`store_client` finds and whose answers `store_quirks` reads; `publish` is `nipa-kg publish`);
`negotiation` does all content negotiation, `policy` refuses what a query may not do (SERVICE), `cors`
adds CORS headers, `cli` is `nipa-kg serve` (granian, `runner`) and `dataset` loads what it serves.
"""
