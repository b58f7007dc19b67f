"""rdflib's own SPARQL engine behind a minimal endpoint, the bench's reference: `GET /sparql?query=`.

    python -m bench.rdflib_endpoint --data FILE --port PORT

SELECT and ASK answer SPARQL JSON results, CONSTRUCT and DESCRIBE N-Triples. The default graph is the union
of the file's graphs. Queries run one at a time (rdflib's parser and store are not safe to share).
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from rdflib import Dataset
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

FORMATS = {".nt": "nt", ".nq": "nquads", ".trig": "trig", ".ttl": "turtle"}


def make_app(data: Path) -> object:
    dataset = Dataset(default_union=True)
    dataset.parse(data, format=FORMATS[data.suffix])
    lock = threading.Lock()
    with lock:
        dataset.query("ASK {}")  # the first parse builds rdflib's grammar

    @Request.application
    def app(request: Request) -> Response:
        query = request.args.get("query")
        if not query:
            return Response("no query\n", 400, mimetype="text/plain")
        try:
            with lock:
                result = dataset.query(query)
                if result.type in ("SELECT", "ASK"):
                    return Response(
                        result.serialize(format="json"), mimetype="application/sparql-results+json"
                    )
                return Response(result.serialize(format="nt"), mimetype="application/n-triples")
        except Exception as exc:  # noqa: BLE001 - any failure of the reference engine is the client's 400
            return Response(f"{exc}\n", 400, mimetype="text/plain")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rdflib_endpoint")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, make_app(args.data), threaded=True)


if __name__ == "__main__":
    main()
