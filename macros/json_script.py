"""JSON that is safe inside a ``<script>`` element or a JavaScript file.

``json.dumps`` output can contain ``</script>``, ``<!--`` or the line separators
U+2028/U+2029, any of which lets contributor text end the script block or the
statement around it. Written as ``\\u`` escapes they mean the same to a JSON or
JavaScript parser and nothing to the HTML parser.
"""
from __future__ import annotations

import json

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TABLE = str.maketrans(_SCRIPT_UNSAFE)


def json_for_script(obj: object) -> str:
    """Compact, key-sorted JSON with ``< > &`` and U+2028/U+2029 escaped (other text kept as is)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inside JSON text these characters occur only within strings, where a \u escape is equivalent.
    return text.translate(_TABLE)
