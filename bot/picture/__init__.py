"""The timeline as a picture: lanes of people, dated events, spans for months and years, as a PNG.

Platform-free: ``chart`` turns a core ``Timeline`` into what is drawn, ``png`` draws it with matplotlib (Agg),
``pictures`` runs that off the event loop and caches it. matplotlib is imported on the first drawing only.
"""

from bot.picture.pictures import FILENAME, PictureRefused, TimelinePicture, TimelinePictures, draw_timeline

__all__ = ["FILENAME", "PictureRefused", "TimelinePicture", "TimelinePictures", "draw_timeline"]
