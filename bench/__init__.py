"""The bench: generated data, the query mix, and nipa-kg against Oxigraph (see bench/README.md)."""
