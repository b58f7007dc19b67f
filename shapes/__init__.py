"""SHACL shapes for the nipa-kg instance data, shipped as Turtle."""
