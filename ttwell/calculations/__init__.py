"""Stage 2, calculations on complete data: workforce metrics, survey scales, SPC, PDSA, pre/post, impact and verdicts. Tidy DataFrames in and out; nothing here formats or hides a number."""
