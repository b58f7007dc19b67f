"""The NIPA 2025 plan knowledge graph: loading, reasoning, validation, export and the CLI."""
