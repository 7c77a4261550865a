"""A source's fingerprint: enough to check that a quote is in the source, without holding its text.

The fingerprint is a bit set. Each overlapping run of ``NGRAM`` characters of the source (after
``normalize_quote``: Unicode NFKC, white space removed) sets one bit, chosen by a hash of the run
salted with the source's id. A quote verifies when every run of ``NGRAM`` characters in it sets a bit
that is set. The set is sized so that about one bit in ``SPARSENESS`` is set: a quote with one
character changed has ``NGRAM`` runs that are not in the source, and passes only if each of them lands
on a set bit by chance (about ``(1/SPARSENESS) ** NGRAM``, one in a few million). Reading the text back
from it would take guessing each next character among all the characters the set lets through, a few
hundred for Chinese text at every step.

What it cannot show: that a quote's runs appear in the source in that order. A quote spliced from two
sentences of the source that share a run of ``NGRAM - 1`` characters passes. Review catches that; chance
does not produce it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

NGRAM = 8
SPARSENESS = 12  # about one bit in twelve is set
MIN_BITS = 1024


def normalize_quote(text: str) -> str:
    """How quotes are compared with a source: Unicode NFKC, white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _runs(normalized: str, ngram: int) -> list[str]:
    return [normalized[i:i + ngram] for i in range(len(normalized) - ngram + 1)]


def _bit(salt: str, run: str, bits: int) -> int:
    digest = hashlib.blake2b(f"{salt}\x00{run}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % bits


@dataclass(frozen=True)
class Print:
    """A built fingerprint, ready to test quotes against."""

    salt: str  # the source's id
    ngram: int
    bits: int
    chars: int  # normalized characters of the text it was built from
    sha256: str  # of the normalized text: an admin can tell whether their copy is the one it was built from
    data: bytes  # the bit set, ``bits // 8`` bytes

    @classmethod
    def build(cls, salt: str, text: str, ngram: int = NGRAM) -> Print:
        normalized = normalize_quote(text)
        runs = set(_runs(normalized, ngram))
        bits = MIN_BITS
        while bits < SPARSENESS * len(runs):
            bits *= 2
        data = bytearray(bits // 8)
        for run in runs:
            n = _bit(salt, run, bits)
            data[n // 8] |= 1 << (n % 8)
        return cls(salt, ngram, bits, len(normalized), hashlib.sha256(normalized.encode()).hexdigest(), bytes(data))

    def verifies(self, quote: str) -> bool:
        """Whether every run of the quote is in the source (a quote shorter than one run cannot be checked)."""
        runs = _runs(normalize_quote(quote), self.ngram)
        if not runs:
            return False
        for run in runs:
            n = _bit(self.salt, run, self.bits)
            if not self.data[n // 8] >> (n % 8) & 1:
                return False
        return True

    @property
    def fill(self) -> float:
        return sum(bin(b).count("1") for b in self.data) / self.bits

    def encoded(self) -> str:
        """The bit set as it is written in a knowledge file: zlib-compressed, base64, in lines of 76."""
        text = base64.b64encode(zlib.compress(self.data, 9)).decode("ascii")
        return "\n".join(text[i:i + 76] for i in range(0, len(text), 76)) + "\n"

    @staticmethod
    def decode(encoded: str, bits: int) -> bytes:
        """The bit set from ``encoded``; ValueError when it is not the ``bits`` it claims (read no further)."""
        inflate = zlib.decompressobj()
        try:
            data = inflate.decompress(base64.b64decode("".join(encoded.split()), validate=True), bits // 8 + 1)
        except (ValueError, zlib.error) as err:
            raise ValueError(f"bitset is not base64 zlib data ({err})") from None
        if len(data) != bits // 8 or inflate.unconsumed_tail:
            raise ValueError(f"bitset does not hold the {bits} bits the fingerprint says")
        return data
