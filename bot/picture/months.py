"""The labels of the months on the time axis: each month's name where its column has room, else its initial.

The initials of one axis share one size, the largest at which they all fit. When they don't all fit even at the
smallest size (an axis of many years, months a few pixels wide), none is drawn: the years label those months.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

NAMES = {"en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
         "zh": tuple(f"{n}月" for n in range(1, 13))}
INITIALS = {"en": tuple("JFMAMJJASOND"), "zh": tuple(str(n) for n in range(1, 13))}
SIZES = (8.0, 7.0, 6.0, 5.0)  # points, largest first: names are drawn at the first, initials at any
NAME_ROOM, INITIAL_ROOM = 10.0, 2.0  # pixels a label leaves free in its column
Measure = Callable[[str, float], float]  # the width in pixels of a text at a size in points


def month_labels(months: Sequence[int], widths: Sequence[float], language: str,
                 measure: Measure) -> list[tuple[str, float] | None]:
    """The label of each month (1-12) and its size in points, for columns ``widths`` pixels wide; None for a month
    left to its year's label."""
    names, initials = NAMES.get(language, NAMES["en"]), INITIALS.get(language, INITIALS["en"])

    def fits(text: str, size: float, width: float, room: float) -> bool:
        return measure(text, size) + room <= width

    named = [fits(names[m - 1], SIZES[0], w, NAME_ROOM) for m, w in zip(months, widths, strict=True)]
    narrow = [(initials[m - 1], w) for m, w, n in zip(months, widths, named, strict=True) if not n]
    size = next((s for s in SIZES if all(fits(i, s, w, INITIAL_ROOM) for i, w in narrow)), None)
    return [(names[m - 1], SIZES[0]) if by_name else None if size is None else (initials[m - 1], size)
            for m, by_name in zip(months, named, strict=True)]
