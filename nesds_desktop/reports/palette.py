"""The few colours reports use, from the GOV.UK Design System palette.

Restrained on purpose: black text, one blue accent, greys for rules and fills.  Each text
colour has at least 4.5:1 contrast on white and on the light fill (WCAG 2.2 AA); the blue
bars of charts have more than 3:1 against white (non-text contrast), and nothing is said
by colour alone.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor

TEXT = HexColor("#0b0c0c")
SECONDARY_TEXT = HexColor("#505a5f")  # 7.0:1 on white, 6.4:1 on LIGHT_FILL
ACCENT = HexColor("#1d70b8")  # 5.2:1 on white
DARK_ACCENT = HexColor("#003078")
BORDER = HexColor("#b1b4b6")
LIGHT_BORDER = HexColor("#d8dadb")
LIGHT_FILL = HexColor("#f3f2f1")
WHITE = HexColor("#ffffff")
