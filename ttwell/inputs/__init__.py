"""Stage 1, inputs: parameters, input templates, reading, column maps and validation (one error listing every problem)."""
