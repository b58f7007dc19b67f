"""The store layer: `base` (the `Store` interface, `Query`, `QueryOptions`, results, errors), `embedded` (an
in-process pyoxigraph store), `remote` (an external SPARQL 1.1 store) with its HTTP `client` and `quirks`,
`dataset` (what `serve` loads), `publish` (`nipa-kg publish`) and `flags` (the flags naming a store).

Imports: `nipa_kg.core`, `nipa_kg.graph` (to build or read the dataset), `nipa_kg.server.settings`; nothing
else of the server.
"""
