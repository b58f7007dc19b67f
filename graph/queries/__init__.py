"""Canned SPARQL queries: the example questions shown in the README, the query page and the tests."""
