"""The query layer: `service` (the `QueryService` every caller runs queries through), `lexer` (the one
lexing pass), `policy` (what a query may not do), `federation` and `service_blocks` (SERVICE to allowed
endpoints, evaluated by us), and `local` (queries run for a terminal: the CLI's `query`).

Imports: `nipa_kg.server.store`, `nipa_kg.core` (and `nipa_kg.server.settings`); never the protocol,
middleware or site layers.
"""
