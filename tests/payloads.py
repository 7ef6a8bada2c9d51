"""Hostile text for the attack tests: every class the security review tried, and more.

Each payload that could run would leave a trace a test can see: `{CANARY}` in a server-side
payload is replaced by a file path that must never appear; browser payloads call `alert`,
set `window.__pwned` or add an element with id `pwned`, all of which the browser tests watch.
Expected safe outcome for all of them: the text is stored and shown literally.
"""

from __future__ import annotations

CANARY = "{CANARY}"

# Server-side template injection (Jinja, as branca compiles rendered output) and syntax breakers.
JINJA = [
    "{{ 6*7 }}",
    "{{7*'7'}}",
    "{{ config }}",
    "{% for x in range(3) %}L{% endfor %}",
    "Helferkreis {# Nord",
    "{{ unbalanced",
    "{%",
    "}}{{",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].makedirs('" + CANARY + "', exist_ok=True) }}",
    "{{ cycler.__init__.__globals__.os.makedirs('" + CANARY + "', exist_ok=True) }}",
    "{{'alert'}}",
    "{{ '<img src=x onerror=window.__pwned=1>' }}",
]

# JavaScript template literals, string breakouts, unicode escapes taken literally.
JS = [
    "${alert(11)}",
    "Z ${window.__pwned=1}",
    "KIZ `+alert(50)+` Bamberg",
    "`;window.__pwned=1;//",
    "';window.__pwned=1;//",
    '";window.__pwned=1;//',
    "\\u003cimg src=x onerror=alert(18)\\u003e",
    "\\x3cimg src=x onerror=alert(19)\\x3e",
    "</script><script>window.__pwned=1</script>",
    "\u2028window.__pwned=1",
    "\\';alert(20);//",
]

# HTML/XSS and mutation XSS.
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><img src=x id=pwned onerror=alert(4)>',
    "'><b id=pwned>x</b>",
    "<iframe src=javascript:alert(5)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(6)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(7)>">',
    "<a href=javascript:alert(8) id=pwned>klick</a>",
    "&lt;img src=x onerror=alert(9)&gt;",
    "<details open ontoggle=alert(10)>",
    "<style>*{display:none}</style>",
]

# Link schemes and malformed URLs (website / source columns).
URLS = [
    "javascript:alert(21)",
    "JaVaScRiPt:alert(22)",
    "data:text/html,<script>alert(23)</script>",
    "vbscript:msgbox(1)",
    "https://[klick](www.caritas.de)",
    "[klick](www.caritas.de)",
    "https://[x]",
    "https://a.de:port/",
    "//evil.example/x",
    "https://ex ample.de",
    "file:///etc/passwd",
]

# Markdown and Streamlit directives (shown in messages and captions).
MARKDOWN = [
    "![track](http://127.0.0.1:9/track.png)",
    "[klick](javascript:alert(24))",
    "**fett** _kursiv_ # Titel",
    ":red[rot] :material/warning: :balloon:",
    "$\\frac{1}{0}$",
    "<span id=pwned>html</span>",
    "| a | b |\n|---|---|\n| c | d |",
]

# Spreadsheet formulas, also behind line breaks inside a cell.
FORMULAS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "Caritas Bamberg\r=cmd|' /C calc'!A0",
    "Caritas Bamberg\n=1+1",
    "Caritas\r\n+1+1",
    "\t=1+1",
    "\r=1+1",
]

PAYLOADS: list[str] = JINJA + JS + HTML + URLS + MARKDOWN + FORMULAS

# What a formula-safe export may never contain at the start of a cell.
FORMULA_START = ("=", "+", "-", "@")


def with_canary(payload: str, canary: str) -> str:
    return payload.replace(CANARY, canary)
