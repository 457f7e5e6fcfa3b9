"""Stage 4, presentation: labels and units, report sections and sentences, charts, tables, results files, HTML, Word and Excel. Everything here works on disclosed tables."""
