"""What scripts/reference-allocate.py and scripts/reference_buckets.py share: money strings and
cents, the SHA-256 tie-break key, largest remainder (docs/spec.md §4a) and the ledger's CSV cells
(docs/spec.md §5). Standard library only."""
import hashlib, re
from fractions import Fraction as F
from math import floor

def cents(s):  # money string "1234.50" -> integer cents (docs/spec.md §1: at most 2 decimals)
    assert isinstance(s, str) and re.fullmatch(r"\d+(\.\d{1,2})?", s), f"bad money {s!r}"
    return int(F(s) * 100)

def half_up(x): return floor(x + F(1, 2))                   # x >= 0
def key(seed, ident): return hashlib.sha256(f"{seed}:{ident}".encode("utf-8")).hexdigest()

def largest_remainder(exact, keys, total):
    """docs/spec.md §4a: floors, then the total - sum(floors) leftover cents one each to the largest
    remainders; equal remainders: the smaller key first. Returns (amounts, ids that got a cent)."""
    amount = {i: floor(x) for i, x in exact.items()}
    k = total - sum(amount.values())
    order = sorted(exact, key=lambda i: (-(exact[i] - amount[i]), keys[i]))
    for i in order[:k]: amount[i] += 1
    return amount, order[:k]

def money(c): return f"{c // 100}.{c % 100:02d}"      # cents -> "12.34" (c >= 0)

def quoted(s):  # RFC 4180: quotes only when needed
    return '"' + s.replace('"', '""') + '"' if re.search(r'[",\r\n]', s) else s

def text_cell(s):  # docs/spec.md §5: a leading ' before = + - @ tab CR (and ', so reading back is exact)
    return quoted("'" + s if s and s[0] in "=+-@\t\r'" else s)
