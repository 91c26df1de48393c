"""A small text extractor for the PDFs WeasyPrint writes (neither pypdf nor pdftotext is
installed here): it decodes each text run's glyphs through its font's ToUnicode map.

Glyphs are in visual order, so right-to-left text (Arabic) reads backwards: `text()` gives
the glyphs in both orders (a ligature's characters stay in their order).
"""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects = {}
    for number, body in OBJECT.findall(pdf):
        data = None
        match = STREAM.search(body)
        if match:
            data = match.group(1)
            if b"/FlateDecode" in body[: match.start()]:
                data = zlib.decompress(data)
        objects[int(number)] = (body, data)
    # Objects packed in object streams (PDF 1.5+): "num offset ..." pairs, then the objects.
    for body, data in list(objects.values()):
        if data is None or b"/ObjStm" not in body:
            continue
        first = int(re.search(rb"/First (\d+)", body).group(1))
        header = [int(x) for x in data[:first].split()]
        pairs = list(zip(header[::2], header[1::2], strict=True))
        for i, (number, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(data)
            objects.setdefault(number, (data[first + offset : end], None))
    return objects


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}

    def text(hexstr: bytes) -> str:
        return bytes.fromhex(hexstr.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, item in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", dst)):
                    mapping[lo + i] = text(item)
            else:
                start = int(dst[1:-1], 16)
                for i in range(hi - lo + 1):
                    mapping[lo + i] = chr(start + i)
    return mapping


def runs(pdf: bytes) -> list[list[str]]:
    """The glyphs (as text) of every text-showing operation of every content stream."""
    objects = _objects(pdf)
    font_maps: dict[int, dict[int, str]] = {}
    for number, (body, _data) in objects.items():
        match = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if match and int(match.group(1)) in objects:
            font_maps[number] = _cmap(objects[int(match.group(1))][1] or b"")
    names: dict[bytes, int] = {}
    for body, _data in objects.values():
        # Font resources, inline or in their own object: /NAME <font object> 0 R
        for name, ref in re.findall(rb"/([^\s/<>\[\]]+)\s+(\d+) 0 R", body):
            if int(ref) in font_maps and name not in (b"ToUnicode", b"DescendantFonts"):
                names[name] = int(ref)
    out = []
    token = re.compile(
        rb"/([^\s/\[\]<>()]+)\s+[\d.]+\s+Tf|\[((?:[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj"
    )
    for _body, data in objects.values():
        if not data or b"Tf" not in data:
            continue
        current: dict[int, str] = {}
        for font, array, single in token.findall(data):
            if font:
                current = font_maps.get(names.get(font, -1), {})
                continue
            hexes = re.findall(rb"<([0-9A-Fa-f]*)>", array) if array else [single]
            glyphs = []
            for h in hexes:
                for i in range(0, len(h), 4):
                    glyphs.append(current.get(int(h[i : i + 4], 16), ""))
            out.append(glyphs)
    return out


def text(pdf: bytes) -> str:
    """All glyphs in visual order, then all of them reversed (for `in` checks of left-to-right
    and right-to-left text; runs of one line are consecutive)."""
    glyphs = [g for run in runs(pdf) for g in run]
    return "".join(glyphs) + "\n" + "".join(reversed(glyphs))


def contains_words(pdf: bytes, phrase: str) -> bool:
    """Every word of `phrase` appears in some run, read in either direction."""
    haystack = text(pdf)
    return all(word in haystack for word in phrase.split())


def font_names(pdf: bytes) -> set[str]:
    """BaseFont names of the fonts embedded in the PDF (subset prefix removed)."""
    names = set()
    for body, _data in _objects(pdf).values():
        for name in re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([^\s/<>\[\]]+)", body):
            names.add(name.decode())
    return names
