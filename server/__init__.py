"""The SPARQL endpoint and linked-data site."""
