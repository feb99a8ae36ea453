"""Showing a saved figure in a notebook without drawing it again."""

from __future__ import annotations

import struct
from pathlib import Path


def show_saved(fig, path: str | Path, dpi: int = 150, screen_dpi: int = 100):
    """Close ``fig`` and return its saved PNG at ``path`` for ``display``.

    A figure left open in a notebook is drawn a second time when the cell ends (the inline
    backend renders it to PNG, with a tight bounding box, after :func:`c6lab.io.save_figure`
    did the same). Showing the saved file costs nothing and shows exactly what was saved,
    at the size the inline backend would use (the file is saved at ``dpi``, shown at
    ``screen_dpi``).

    Examples
    --------
    >>> import matplotlib, tempfile
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from c6lab.io import save_figure
    >>> fig, ax = plt.subplots(figsize=(4, 3))
    >>> image = show_saved(fig, save_figure(fig, "f.png", tempfile.mkdtemp()))
    >>> plt.fignum_exists(fig.number), 0 < image.width <= 400
    (False, True)
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image

    plt.close(fig)
    data = Path(path).read_bytes()
    width = struct.unpack(">I", data[16:20])[0]  # the PNG header (IHDR) holds the width in pixels
    return Image(data=data, format="png", width=round(width * screen_dpi / dpi))
