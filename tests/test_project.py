"""Project files that must agree with each other."""

from __future__ import annotations

import re
import tomllib

import yaml

from c6lab.paths import REPO_ROOT


def _norm(name: str) -> str:
    # PEP 503 normalisation: case and runs of -_. do not matter
    return re.sub(r"[-_.]+", "-", name).lower()


def _req_name(spec: str) -> str:
    return _norm(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0])


# Extras the user installs on purpose and `make` does not: the transformer scorer's
# libraries are gigabytes, and the model itself is the user's, so they are not pinned.
UNPINNED_EXTRAS = {"models"}


def _pyproject_deps() -> set[str]:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = list(data["project"]["dependencies"])
    for name, extra in data["project"].get("optional-dependencies", {}).items():
        if name not in UNPINNED_EXTRAS:
            deps += extra
    return {_req_name(d) for d in deps}


def _environment() -> dict[str, str | None]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, str | None] = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            m = re.match(r"([A-Za-z0-9_.\-]+)\s*(?:==?\s*([^\s]+))?", item)
            out[_norm(m.group(1))] = m.group(2)
    return out


def _lock() -> dict[str, str]:
    out = {}
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            out[_norm(name)] = version.strip()
    return out


def test_environment_yml_names_every_pyproject_dependency():
    missing = _pyproject_deps() - set(_environment())
    assert not missing, f"environment.yml lacks {sorted(missing)}"


def test_environment_yml_pins_the_locked_versions():
    lock, env = _lock(), _environment()
    wrong = {n: (v, lock.get(n)) for n, v in env.items() if n not in ("python", "pip") and v != lock.get(n)}
    assert not wrong, f"environment.yml versions differ from requirements.lock: {wrong}"


def test_lock_pins_every_pyproject_dependency():
    missing = _pyproject_deps() - set(_lock())
    assert not missing, f"requirements.lock lacks {sorted(missing)}"


def test_normalisation_treats_spellings_alike():
    assert _req_name("vaderSentiment>=3.3") == _req_name("vadersentiment") == "vadersentiment"
    assert _req_name("scikit_learn[extra]>=1") == "scikit-learn"


def test_import_c6lab_loads_no_heavy_library():
    # start-up cost is measured in benchmarks/import_time.py; this pins the cause: the
    # analysis libraries are imported on first use, never by `import c6lab`
    import subprocess
    import sys

    heavy = ("scipy", "sklearn", "matplotlib", "nltk", "vaderSentiment", "jinja2", "gensim", "dask", "distributed")
    out = subprocess.run([sys.executable, "-c", f"import sys, c6lab; print(sorted(m for m in {heavy!r} "
                          "if m in sys.modules))"], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
    probe = "import c6lab; c6lab.dfm; c6lab.keywords; import sys; print('scipy.sparse' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                          text=True).stdout.strip() == "True"  # and the lazy names still resolve
