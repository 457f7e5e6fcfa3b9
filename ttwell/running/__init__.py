"""Stage 5, running: the notebook runner and the command line."""
