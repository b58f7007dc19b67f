"""The flags that name an external SPARQL 1.1 store and the account that writes to it, shared by `serve`
and `publish` (they fill the `store` fields of `nipa_kg.server.settings.Settings`; where each endpoint is
found: `nipa_kg.server.store.client`)."""

from __future__ import annotations

import argparse


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="URL",
        help="an external SPARQL 1.1 store: Oxigraph http://HOST:7878, Virtuoso http://HOST:8890, Fuseki "
        "http://HOST:3030/DATASET, or any other store's query endpoint (NIPA_KG_STORE)",
    )
    parser.add_argument(
        "--store-query",
        metavar="URL",
        help="the store's query endpoint, if not the one found from --store (NIPA_KG_STORE_QUERY)",
    )
    parser.add_argument(
        "--store-gsp",
        metavar="URL",
        help="the store's Graph Store Protocol endpoint, if not the one found from --store "
        "(NIPA_KG_STORE_GSP)",
    )
    parser.add_argument(
        "--store-update",
        metavar="URL",
        help="the store's SPARQL Update endpoint, if not the one found from --store (NIPA_KG_STORE_UPDATE)",
    )
    parser.add_argument(
        "--user", dest="store_user", help="the store account that writes (NIPA_KG_STORE_USER)"
    )
    parser.add_argument(
        "--password", dest="store_password", help="its password (better: NIPA_KG_STORE_PASSWORD)"
    )
