"""Instance data of the NIPA 2025 plan, as Turtle files split by topic."""
