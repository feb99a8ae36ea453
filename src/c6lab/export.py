"""Write derived tables and figures under ``results/`` atomically and reproducibly."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from .paths import default_results_dir


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A reader never sees half a file, and a failure leaves any old file untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp creates 0600 files; give the usual permissions (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_table(df: pd.DataFrame, name: str, results_dir: str | Path | None = None,
                float_digits: int = 6) -> Path:
    """Write ``df`` as ``results/<name>`` (CSV, UTF-8, LF line ends, no index).

    Floats are written with ``float_digits`` significant digits so that last-bit
    differences between BLAS builds do not change the file.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = write_table(pd.DataFrame({"x": [1 / 3]}), "t.csv", d)
    >>> p.read_text()
    'x\\n0.333333\\n'
    """
    results_dir = Path(results_dir) if results_dir is not None else default_results_dir()
    text = df.to_csv(index=False, lineterminator="\n", float_format=f"%.{float_digits}g")
    return atomic_write_bytes(results_dir / name, text.encode("utf-8"))


def save_figure(fig, name: str, results_dir: str | Path | None = None, dpi: int = 150) -> Path:
    """Save a matplotlib figure as ``results/figures/<name>`` (PNG, no timestamp metadata)."""
    import io

    results_dir = Path(results_dir) if results_dir is not None else default_results_dir()
    buf = io.BytesIO()
    # no Software/date metadata, so the same figure gives the same bytes
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return atomic_write_bytes(results_dir / "figures" / name, buf.getvalue())
