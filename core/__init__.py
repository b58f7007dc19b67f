"""What every layer shares: the errors the CLI and the server report (`errors`), the table of RDF and results
formats (`formats`), the namespaces and well-known IRIs (`namespaces`), the one converter between pyoxigraph
terms, rdflib terms and SPARQL JSON (`terms`), the flag-over-environment settings reader (`config`), and
what a long command says it is doing (`progress`: stage lines and a progress bar on stderr).

Imports: the standard library, rdflib and pyoxigraph only; never `nipa_kg.graph` or `nipa_kg.server`.
"""
