"""The nipa-kg OWL ontology, shipped as Turtle."""
