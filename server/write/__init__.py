"""Writes: SPARQL Update and Graph Store Protocol writes, validated as the build validates, applied
atomically, kept on disk before they are acknowledged, and recorded in a history that can be undone.

- `service`: `WriteService`, the steps of one write (guard, stage and check, record, persist, swap);
- `stage`: what runs in the staging process: the write applied to a copy, the change, reasoning and SHACL;
- `history`: the PROV activities of the history graph;
- `snapshot`: the state on disk (`--data-dir`), written atomically and durably;
- `external`: with `--store`, the change sent to the store's update endpoint as one request;
- `using`: the protocol's `using-graph-uri` written into an update;
- `cli`: `nipa-kg history` and `nipa-kg revert`, over HTTP.

Imports: `nipa_kg.server.query` (the guard, the lexer, the allowlist), `nipa_kg.server.store`,
`nipa_kg.graph` (the build's reasoning, validation and metadata), `nipa_kg.core` and
`nipa_kg.server.settings`; never the middleware, protocol or site layers.
"""
