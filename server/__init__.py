"""The SPARQL endpoint and linked-data site, one subpackage per layer; imports point down this list only:

- `site`: the human pages (home, resources, query page, ontology and shapes, dumps); may import every
  layer below;
- `protocol`: the SPARQL 1.1 Protocol at /sparql, the Graph Store Protocol, the service description,
  content negotiation, and the `Services` the app hands the blueprints (`context`);
- `middleware`: WSGI around the app: the result cache, the request metrics, CORS;
- `write`: writes (SPARQL Update, Graph Store Protocol), token-gated above it, validated with the build's
  reasoning and shapes, persisted and swapped in atomically, recorded as PROV history;
- `query`: the query service every caller uses (lexer, policy, federation), and queries run for a
  terminal (`local`);
- `store`: the `Store` interface and its embedded and remote implementations, the HTTP client of remote
  stores, their quirks, what `serve` loads, and `publish`.

Beside them: `app` (the app factory), `settings` (read once, at start), `runner` (granian) and `cli` (the
`nipa-kg` entry point). Every layer may import `settings` and `nipa_kg.core`; none imports `app`, `cli` or
`runner`.
"""
