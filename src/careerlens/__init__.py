"""careerlens: evidence for choosing and growing a career in AI.

The library is the product; the CLI and the web app only render what these functions return.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
