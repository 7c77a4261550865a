"""Fonts for the picture: a CJK font for Chinese labels, found through matplotlib's font manager.

Without one the picture falls back to English labels, and the log says so once.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

log = logging.getLogger(__name__)

LATIN = "DejaVu Sans"  # ships with matplotlib
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Droid Sans Fallback", "Noto Sans CJK TC", "Noto Sans CJK JP", "Source Han Sans",
    "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei", "Heiti SC", "AR PL UMing CN", "Noto Serif CJK SC",
)
# File names of CJK fonts installed after matplotlib cached its font list (it does not look again by itself).
_CJK_FILES = ("notosanscjk", "notoserifcjk", "notosanssc", "sourcehan", "wqy", "droidsansfallback", "uming", "ukai")
_missing_logged = False


@functools.cache
def cjk_family() -> str | None:
    """The best CJK font family matplotlib can use, or None."""
    from matplotlib import font_manager

    found = _known(font_manager.fontManager)
    if found is None:
        for path in font_manager.findSystemFonts():
            name = Path(path).name.lower().replace("-", "").replace("_", "")
            if name.startswith(_CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    log.debug("could not read the font file %s", path)
        found = _known(font_manager.fontManager)
    return found


def _known(manager: object) -> str | None:
    names = {font.name for font in manager.ttflist}  # type: ignore[attr-defined]
    return next((family for family in CJK_FAMILIES if family in names), None)


def picture_language(language: str) -> str:
    """The language the picture's labels can be drawn in: ``language``, or English when no CJK font is found."""
    global _missing_logged
    if language != "zh" or cjk_family() is not None:
        return language
    if not _missing_logged:
        _missing_logged = True
        log.warning("no CJK font found (install fonts-noto-cjk): timeline pictures get English labels")
    return "en"


def families(language: str) -> list[str]:
    """The font families for text in ``language``, in the order glyphs are looked for: the CJK font first for
    Chinese, Latin first otherwise (English labels may still hold a Chinese name, such as a pen name)."""
    cjk = cjk_family()
    if cjk is None:
        return [LATIN]
    return [cjk, LATIN] if language == "zh" else [LATIN, cjk]
