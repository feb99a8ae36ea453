"""save_figure's PNG compression: the pixels of matplotlib's own PNG, in fewer milliseconds."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from c6lab import io as c6io  # noqa: E402


def test_saved_png_has_the_pixels_of_matplotlibs_default_png(tmp_path):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.scatter(np.arange(20), np.sin(np.arange(20)), c=np.arange(20), alpha=0.5)
    ax.set_title("a title, some text: pixels to compare")
    fig.tight_layout()
    ours = c6io.save_figure(fig, "f.png", tmp_path, dpi=120).read_bytes()
    buf = io.BytesIO()
    fig.set_layout_engine(None)
    fig.savefig(buf, format="png", dpi=120, metadata={"Software": None})  # zlib level 6, matplotlib's default
    plt.close(fig)
    theirs = buf.getvalue()
    assert ours != theirs  # another compression ...
    a, b = (np.asarray(Image.open(io.BytesIO(data))) for data in (ours, theirs))
    assert a.shape == b.shape == (360, 480, 4)
    np.testing.assert_array_equal(a, b)  # ... of the same pixels
    assert Image.open(io.BytesIO(ours)).info["dpi"] == Image.open(io.BytesIO(theirs)).info["dpi"]
