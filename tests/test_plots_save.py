"""save_figure: the figure saved as laid out (drawn once), or cropped to its content with tight=True."""

from __future__ import annotations

import struct

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from c6lab.io import save_figure  # noqa: E402
from c6lab.plots import show_saved  # noqa: E402


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # IHDR: width, height


def test_save_figure_keeps_the_canvas_and_draws_once(tmp_path, monkeypatch):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2], [3, 4])
    fig.tight_layout()
    draws = []
    original = type(fig).draw
    monkeypatch.setattr(type(fig), "draw", lambda self, renderer: (draws.append(1), original(self, renderer))[1])
    path = save_figure(fig, "f.png", tmp_path, dpi=100)
    assert path == tmp_path / "figures" / "f.png"
    assert _png_size(path) == (400, 300)  # 4 x 3 inches at 100 dpi: nothing cropped
    assert len(draws) == 1
    draws.clear()
    tight = save_figure(fig, "t.png", tmp_path, dpi=100, tight=True)
    w, h = _png_size(tight)
    assert w < 400 and h < 300  # the white margin cropped away
    assert len(draws) == 2  # matplotlib draws once to measure, once to render
    image = show_saved(fig, path, dpi=100, screen_dpi=50)
    assert image.width == 200 and not plt.fignum_exists(fig.number)


def test_save_figure_gives_the_same_bytes_twice(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    a = save_figure(fig, "a.png", tmp_path).read_bytes()
    b = save_figure(fig, "b.png", tmp_path).read_bytes()
    plt.close(fig)
    assert a == b  # no timestamp or software version in the file
