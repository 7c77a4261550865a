"""Fonts for the picture: a CJK font for Chinese labels, found through matplotlib's font manager.

The font comes with the program: the ``noto-cjk-sans-otc`` package ships Noto Sans CJK (the file Debian's
fonts-noto-cjk installs), so every machine draws the same picture without a system font. Without it, a CJK
font installed on the system is used; without either, the picture falls back to English labels, and the log
says so once.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.font_manager import FontManager

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


def bundled_font() -> Path | None:
    """The CJK font file that ships as a dependency (``noto-cjk-sans-otc``), or None when it is not installed."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


@functools.cache
def cjk_family() -> str | None:
    """The best CJK font family matplotlib can use, or None: the bundled font's first, then the system's."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    bundled = bundled_font()
    if bundled is not None:
        found = _added(manager, [bundled])
        if found is not None:
            return found
        log.warning("could not read the bundled CJK font %s", bundled)
    found = _known(manager)
    if found is None:
        files = [p for p in font_manager.findSystemFonts() if _cjk_file(p)]
        found = _added(manager, files)
    return found


def _added(manager: FontManager, paths: list[Path] | list[str]) -> str | None:
    """The best CJK family among the fonts in ``paths``, each added to the font manager."""
    for path in paths:
        try:
            manager.addfont(str(path))
        except (OSError, RuntimeError, ValueError):
            log.debug("could not read the font file %s", path)
    files = {Path(p) for p in paths}
    names = {font.name for font in manager.ttflist if Path(font.fname) in files}
    return next((family for family in CJK_FAMILIES if family in names), None)


def _cjk_file(path: str) -> bool:
    return Path(path).name.lower().replace("-", "").replace("_", "").startswith(_CJK_FILES)


def _known(manager: FontManager) -> str | None:
    names = {font.name for font in manager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


@functools.cache
def has_bold(family: str) -> bool:
    """Whether ``family`` has a bold face (the bundled CJK font has the regular one only)."""
    from matplotlib import font_manager

    def weight(value: int | str) -> int:
        return value if isinstance(value, int) else font_manager.weight_dict.get(value, 400)

    return any(font.name == family and weight(font.weight) >= 600 for font in font_manager.fontManager.ttflist)


def picture_language(language: str) -> str:
    """The language the picture's labels can be drawn in: ``language``, or English when no CJK font is found."""
    global _missing_logged
    if language != "zh" or cjk_family() is not None:
        return language
    if not _missing_logged:
        _missing_logged = True
        log.warning("no CJK font found (the noto-cjk-sans-otc package is missing): timeline pictures get English "
                    "labels")
    return "en"


def families(language: str) -> list[str]:
    """The font families for text in ``language``, in the order glyphs are looked for: the CJK font first for
    Chinese, Latin first otherwise (English labels may still hold a Chinese name, such as a pen name)."""
    cjk = cjk_family()
    if cjk is None:
        return [LATIN]
    return [cjk, LATIN] if language == "zh" else [LATIN, cjk]
