"""Numbers in a lesson's prose that the lesson's run does not print.

A lesson's claims are numbers its cells print (and its checks assert); its prose may quote
them, but a number typed into the prose from one run goes stale on another backend, another
CPU or after a change. unsourced_numbers lists the decimals of the markdown cells (0.048,
93.0%, 2.5) that appear neither in the executed notebook's outputs nor in its code (a
setting, a threshold spelled out in a cell): the notebook tests assert there are none.

Whole numbers (3,000 iterations, 28×28 pixels, lesson 7) are not checked: they are settings
and counts, not measurements.
"""

import re

# A decimal number: digits, a point, digits; not part of a word, a version or a longer number.
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.]*\d)")


def _outputs_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        text = out.get("text", "")
        parts.append("".join(text) if isinstance(text, list) else text)
        data = out.get("data", {})
        for mime in ("text/plain", "text/html", "text/markdown"):
            value = data.get(mime, "")
            parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _variants(number):
    """The ways a printed number can stand for number: itself, and without its trailing
    zeros (the prose's 0.50 printed as 0.5)."""
    out = {number}
    if "." in number:
        out.add(number.rstrip("0").rstrip("."))
    return out


def unsourced_numbers(nb):
    """The decimals quoted in nb's markdown cells that nb's outputs and code do not contain,
    as 'cell N: 0.048' strings, in order. nb is an executed notebook (nbformat or dict)."""
    printed = "\n".join(_outputs_text(c) + "\n" + _source(c) for c in nb["cells"] if c["cell_type"] == "code")
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for m in DECIMAL.finditer(_source(cell)):
            if not any(re.search(rf"(?<![\d.]){re.escape(v)}", printed) for v in _variants(m.group(0))):
                found.append(f"cell {i}: {m.group(0)}")
    return found
