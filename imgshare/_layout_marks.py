"""Markers the Typst table writer leaves on a table's first lines for the manuscript engine's page layout.

They are Typst comments, so any other reader of the source ignores them. They live here, apart
from :mod:`imgshare.tables`, so the engine can read them without importing the table stack
(a prose-only re-render imports no pandas).
"""

__all__ = ["FLOAT_MARK", "LANDSCAPE_MARK"]

#: The table may float (it is unbreakable).
FLOAT_MARK = "// imgshare-layout: float"
#: The table needs a landscape page.
LANDSCAPE_MARK = "// imgshare-layout: landscape"
