"""Showing a chart: rendering it to PNG, showing it in a notebook with alt text, and how big the report shows it."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ttwell.presentation.charts.style import DISPLAY_WIDTH_PX, DPI, NHS_WHITE, SCREEN_DPI

_SAVE_PAD_INCHES = 0.1  # what figure_png's bbox_inches="tight" adds on each side


def show(fig: Figure, alt: str) -> None:
    """Display a figure in a notebook as a PNG with alternative text, then close it.

    The alt text travels in the output's metadata (``image/png`` -> ``alt``); the ttwell HTML report template
    puts it in the ``<img alt="...">`` attribute. Closing the figure stops the inline backend from showing it a
    second time and stops a ``<Figure ...>`` line appearing.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to show, for example from :func:`monthly_chart`.
    alt : str
        What the chart shows, in a sentence that a screen-reader user can act on (the finding, not "a chart").

    Raises
    ------
    ValueError
        If ``alt`` is empty or only spaces.

    Examples
    --------
    >>> fig = monthly_chart(rates, date_col="month", value_col="value", title="Sickness absence",
    ...                     ylabel="Rate", percent=True)          # doctest: +SKIP
    >>> show(fig, alt="Sickness absence fell from 5.1% to 4.3% over the year.")  # doctest: +SKIP
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(
            "charts.show needs alt text: describe what the chart shows in one or two sentences, "
            'for example show(fig, alt="Sickness absence fell from 5.1% to 4.3% over the year.")'
        )
    from IPython.display import Image, display

    alt = " ".join(alt.split())
    try:
        png = figure_png(fig)
        width_px = _png_width(png)
        metadata = {"alt": alt}
        if width_px:
            metadata["width"] = round(width_px * SCREEN_DPI / DPI)
        # Metadata is given to display() explicitly because that is what lands in the notebook output's
        # metadata["image/png"], which the report template reads (Image(alt=...) alone depends on IPython's
        # version for where the alt ends up).
        display(Image(data=png, format="png"), metadata={"image/png": metadata})
    finally:
        plt.close(fig)


def figure_png(fig: Figure) -> bytes:
    """Render a figure to PNG bytes at the ttwell resolution.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file contents.

    Examples
    --------
    >>> png = figure_png(fig)  # doctest: +SKIP
    >>> png[:4]                # doctest: +SKIP
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    # No "Software" entry: the PNG then does not change when matplotlib is upgraded, so committed notebooks
    # do not show spurious diffs.
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=_SAVE_PAD_INCHES, facecolor=NHS_WHITE,
                metadata={"Software": None})
    return _palette_png(buffer.getvalue())


def _palette_png(png: bytes) -> bytes:
    """The same picture with a palette of at most 256 colours, without dithering: a third of the bytes.

    A chart has a handful of colours plus their anti-aliased edges, so nothing visible is lost, and the HTML
    report, the notebook and the Word paper are a third of the size (to e-mail, and under the notebook size limit).
    """
    from PIL import Image as PILImage

    image = PILImage.open(io.BytesIO(png)).convert("RGB")
    quantized = image.quantize(colors=256, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png_width(png: bytes) -> int | None:
    # The IHDR chunk always comes first: width is the big-endian int at bytes 16-19.
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return None
    return int.from_bytes(png[16:20], "big")


def display_scale(fig: Figure, display_width_px: float = DISPLAY_WIDTH_PX) -> float:
    """How much the HTML report shrinks this figure: 1.0 when it is shown at the size it is drawn.

    The PNG from :func:`figure_png` is shown at ``SCREEN_DPI`` CSS pixels per inch, capped at the width of
    the report's text column (``DISPLAY_WIDTH_PX``); a wider chart is scaled down, and its text with it.

    Examples
    --------
    >>> display_scale(fig)  # doctest: +SKIP
    1.0
    """
    fig.canvas.draw()
    bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    width_px = (bbox.width + 2 * _SAVE_PAD_INCHES) * SCREEN_DPI
    return min(1.0, display_width_px / width_px)
