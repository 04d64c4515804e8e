"""Build step for the compiled job-title classifier; everything else about the package is in pyproject.toml.

``careerlens.normalize.titles`` and ``careerlens.normalize.title_rules`` are compiled to C extension
modules with mypyc (it ships with mypy, a [build-system] requirement) when the package is built or installed,
including ``pip install -e .``: the extension modules land beside the .py files in src/careerlens/normalize/
(Python imports an extension module before the .py file of the same name). The .py files stay the reference
and the fallback:

* ``CAREERLENS_PURE_PYTHON=1`` at build time, no C compiler, or a failed C build -> a pure-Python install (any
  extension modules of an earlier build are removed from the source tree, so they cannot run instead);
* a successful build writes ``_titles_native.sha256`` beside the sources (sha256sum format, the two sources'
  digests). The modules compare it with their sources when imported and run the .py source instead of a stale
  build (``title_rules._native_fallback``); the Makefile and tests/normalize/test_titles_native.py use it too.

The C code is generated only when build_ext runs (not while pip asks for the metadata): mypyc takes ~20 s.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import shutil
import sysconfig
from pathlib import Path
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE = "careerlens.normalize"
PACKAGE_DIR = Path("src", *PACKAGE.split("."))  # relative: mypyc names modules and C files after the paths
SOURCES = ("title_rules.py", "titles.py")  # the compiled modules, in this package
STAMP = "_titles_native.sha256"  # keep in step with title_rules.NATIVE_STAMP
# mypyc puts both modules' code in one shared library at the top of the tree, <hash>__mypyc.<EXT_SUFFIX>
# beside careerlens/ (group_name= could put it in the package, but title_rules.__file__ is then wrong)
SHARED_LIB = "*__mypyc"
METADATA_COMMANDS = {"egg_info", "dist_info", "sdist"}  # the commands that build nothing


def sources_stamp(directory: Path) -> str:
    """What ``sha256sum title_rules.py titles.py`` prints in ``directory`` (as title_rules._why_source)."""
    return "".join(f"{hashlib.sha256((directory / s).read_bytes()).hexdigest()}  {s}\n" for s in SOURCES)


def built_files(root: Path) -> list[Path]:
    """The files of a build under a source or build root (src/, build/lib...): those that exist."""
    package_dir = root.joinpath(*PACKAGE.split("."))
    found = [package_dir / STAMP]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        found += [package_dir / f"{Path(s).stem}{suffix}" for s in SOURCES]
        found += root.glob(f"{SHARED_LIB}{suffix}")
    return [p for p in found if p.is_file()]


def remove_build(root: Path) -> None:
    for path in built_files(root):
        path.unlink()


def why_pure() -> str | None:
    """Why this build installs pure Python, decided before any C is generated (None: compile)."""
    if os.environ.get("CAREERLENS_PURE_PYTHON") == "1":
        return "CAREERLENS_PURE_PYTHON=1"
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypyc is not installed (it comes with mypy, a [build-system] requirement)"
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    if os.name != "nt" and (not cc or shutil.which(cc[0]) is None):
        return f"no C compiler ({' '.join(cc) or 'CC'} not found)"
    return None


class BuildTitlesNative(build_ext):
    """build_ext that generates the C code with mypyc first, and installs pure Python if compiling fails."""

    stamp: str | None = None  # the sources' digests, taken before mypyc reads them

    def finalize_options(self) -> None:
        placeholder = any(getattr(e, "_placeholder", False) for e in self.distribution.ext_modules or [])
        commands = set(self.distribution.commands)
        # egg_info (pip's metadata step) finalizes build_ext only to list its sources: no C code for that
        if placeholder and not (commands and commands <= METADATA_COMMANDS):
            from mypyc.build import mypycify

            # digests first: a source edited while the build runs then shows as stale, never as this build's
            self.stamp = sources_stamp(ROOT / PACKAGE_DIR)
            paths = [(PACKAGE_DIR / s).as_posix() for s in SOURCES]
            self.distribution.ext_modules = mypycify(paths, opt_level="3")
        super().finalize_options()

    def run(self) -> None:
        if self.stamp is None:  # nothing to compile
            super().run()
            return
        try:
            super().run()
        except Exception as exc:  # no compiler, no Python headers, ...: the failures have no common class
            self.warn(f"compiling the title classifier failed ({exc}); installing it as pure Python")
            self._fall_back()
            return
        dirs = [Path(self.build_lib, *PACKAGE.split("."))]
        if self.inplace or self.editable_mode:  # the extension modules were copied beside the sources
            dirs.append(ROOT / PACKAGE_DIR)
        for d in dirs:
            (d / STAMP).write_text(self.stamp, encoding="ascii")

    def _fall_back(self) -> None:
        remove_build(Path(self.build_lib))
        remove_build(ROOT / "src")


def ext_modules() -> list[Any]:
    reason = why_pure()
    if reason is not None:
        print(f"careerlens: the title classifier is installed as pure Python: {reason}")
        remove_build(ROOT / "src")  # an earlier build left in the source tree would run instead
        return []
    # a placeholder that marks the distribution as having extension modules (a platform wheel; build_ext
    # runs): BuildTitlesNative.finalize_options replaces it with mypyc's extensions
    placeholder = Extension(f"{PACKAGE}.titles", sources=[(PACKAGE_DIR / "titles.py").as_posix()])
    placeholder._placeholder = True  # type: ignore[attr-defined]
    return [placeholder]


setup(ext_modules=ext_modules(), cmdclass={"build_ext": BuildTitlesNative})
