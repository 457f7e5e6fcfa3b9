"""ttwell: evaluation kit for NHS Talking Therapies staff-wellbeing strategies."""

import os as _os

# ttwell's linear algebra is on small matrices (a 36-month model, a 1,000-row table): one BLAS thread is
# fastest, and several threads on a busy 2-core machine made the interrupted time series 20 times slower.
# Set before numpy loads (a user's own setting wins); the runner passes the same to the notebook kernels.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
