"""One small stylesheet for the whole book: the theme's and extensions' CSS, cut to what the book uses.

pydata-sphinx-theme ships about 400 KB of CSS (all of Bootstrap, every Font Awesome icon) in a dozen
render-blocking files, one of them behind an @import. At the end of the build this module joins them in
page order, keeps only the rules whose classes, ids, elements and attributes occur in the built pages or
in the scripts they load (which add state classes such as "show"), drops custom properties nothing
reads, and subsets the Font Awesome font to the icons left, embedded in the stylesheet so no font
request holds up the page. Every page then links that one file; what a page shows does not change.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import tinycss2
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _CascadingStyleSheet

SITE_CSS = "citybook-site.css"
# The theme's own two stylesheets (its asset macros, see templates/static/webpack-macros.html) come first.
THEME_CSS = ("styles/theme.css", "styles/pydata-sphinx-theme.css")
# Classes and attributes Bootstrap adds to the tooltips and the dropdown the theme uses; the rest of
# bootstrap.js (carousels, modals, toasts...) is never started, so its words do not keep its CSS.
BOOTSTRAP_STATES = frozenset(
    "tooltip tooltip-inner tooltip-arrow bs-tooltip-auto bs-tooltip-top bs-tooltip-bottom bs-tooltip-start "
    "bs-tooltip-end fade show showing hiding collapsing dropdown-menu-end data-popper-placement data-bs-popper "
    "data-bs-theme".split()
)
# Scripts whose words are not evidence of a class in use (they name every component they could build).
IGNORED_SCRIPTS = ("bootstrap.js",)
# The icon font face the theme's header draws on every page: embedded in the sheet, so it costs no request.
EMBEDDED_FONTS = ("fa-solid-900",)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PUA_ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,6})")
_NOTICE = re.compile(r"/\*.*?\*/", re.S)
_LICENCE_WORDS = re.compile(r"licen[cs]e|copyright", re.I)
_VENDOR_PSEUDO = re.compile(r"::?-(?:moz|ms|o)-")


class _Vocabulary(HTMLParser):
    """Collects every element name, attribute name, class and id in HTML."""

    def __init__(self, words: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.words = words

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element, its attribute names, classes and id."""
        self.words.add(tag)
        for name, value in attrs:
            self.words.add(name)
            if name == "class" and value:
                self.words.update(value.split())
            elif name == "id" and value:
                self.words.add(value)


def page_vocabulary(pages: Iterable[Path], scripts: Iterable[Path]) -> set[str]:
    """Return every word a selector could need: names in the pages' HTML and words in their scripts."""
    words = set(BOOTSTRAP_STATES) | {"html", "body", "head", ":root"}
    parser = _Vocabulary(words)
    for page in pages:
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        parser.reset()
    for script in scripts:
        if script.name.split("?")[0] not in IGNORED_SCRIPTS:
            words.update(_WORD.findall(script.read_text(encoding="utf-8", errors="replace")))
    return words


def selector_needs(selector: list[Any]) -> set[str]:
    """Return the names (elements, classes, ids, attributes) one complex selector needs to match.

    Arguments of pseudo-classes (:not(.x), :is(...)) are ignored: they never make a selector need a name.
    """
    needs: set[str] = set()
    previous: Any = None
    for token in selector:
        after = previous.value if previous is not None and previous.type == "literal" else None
        if token.type == "ident":
            if after == ".":
                needs.add(token.value)
            elif previous is None or previous.type == "whitespace" or after in (">", "+", "~"):
                needs.add(token.value.lower())
        elif token.type == "hash":
            needs.add(token.value)
        elif token.type == "[] block":
            name = next((t for t in token.content if t.type == "ident"), None)
            if name is not None:
                needs.add(name.value)
        previous = token
    return needs


def _split_selectors(prelude: list[Any]) -> list[list[Any]]:
    parts: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if any(t.type not in ("whitespace", "comment") for t in p)]


def _strip(tokens: list[Any]) -> list[Any]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and tokens[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tokens[start:end]


def _rebase_urls(tokens: list[Any], source_dir: PurePosixPath) -> None:
    """Rewrite relative url()s in place so they resolve from _static/, where the joined sheet lives."""
    for token in tokens:
        if token.type == "url" and _is_relative(token.value):
            token.value = _rebased(token.value, source_dir)
            token.representation = f"url({token.value})"
        elif token.type == "function" and token.lower_name == "url":
            for argument in token.arguments:
                if argument.type == "string" and _is_relative(argument.value):
                    argument.value = _rebased(argument.value, source_dir)
                    argument.representation = f'"{argument.value}"'
        for attribute in ("content", "arguments", "prelude"):
            children = getattr(token, attribute, None)
            if isinstance(children, list):
                _rebase_urls(children, source_dir)


def _is_relative(url: str) -> bool:
    return not re.match(r"^(?:[a-z]+:|/|#)", url, re.I)


def _rebased(url: str, source_dir: PurePosixPath) -> str:
    parts: list[str] = []
    for part in (source_dir / url).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def read_rules(
    static_dir: Path, relative: str, seen: set[str] | None = None, notices: list[str] | None = None
) -> list[Any]:
    """Return a stylesheet's rules, its @imports replaced by the imported rules, urls rebased to _static/.

    Licence and copyright comments are added to notices (once each), to head the joined sheet.
    """
    seen = set() if seen is None else seen
    if relative in seen:
        return []
    seen.add(relative)
    source_dir = PurePosixPath(relative).parent
    text = (static_dir / relative).read_text(encoding="utf-8")
    if notices is not None:
        for comment in _NOTICE.findall(text):
            if _LICENCE_WORDS.search(comment) and comment not in notices:
                notices.append(comment)
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    found: list[Any] = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = next((t for t in rule.prelude if t.type in ("string", "url")), None)
            if target is not None:
                found += read_rules(static_dir, _rebased(target.value, source_dir), seen, notices)
            continue
        if rule.type == "error":
            continue
        _rebase_urls([rule], source_dir)
        found.append(rule)
    return found


def purge(rules: list[Any], words: set[str]) -> list[Any]:
    """Keep the rules (and the selectors in each list) that can match something in the book."""
    kept: list[Any] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split_selectors(rule.prelude)
            alive = [s for s in selectors if selector_needs(s) <= words]
            if not alive:
                continue
            if len(alive) < len(selectors) and not any(_VENDOR_PSEUDO.search(tinycss2.serialize(s)) for s in selectors):
                rule.prelude = [t for s in alive for t in [*_strip(s), _COMMA]][:-1]
            kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") and rule.content:
            inner = purge(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), words)
            if inner:
                rule.content = [t for r in inner for t in (r, _NEWLINE)]
                kept.append(rule)
        else:
            kept.append(rule)
    return kept


_COMMA = tinycss2.parse_component_value_list(",")[0]
_NEWLINE = tinycss2.parse_component_value_list("\n")[0]


def _declaration_rules(rules: list[Any]) -> Iterable[Any]:
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.content and rule.lower_at_keyword in ("media", "supports", "layer"):
            yield from _declaration_rules([t for t in rule.content if t.type in ("qualified-rule", "at-rule")])


def drop_unused_properties(rules: list[Any], also_read: str) -> list[Any]:
    """Remove custom property declarations (--x: ...) that no var() in the sheet, page or script reads."""
    parsed = {}
    for rule in _declaration_rules(rules):
        parsed[id(rule)] = (rule, tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True))
    mentioned = set(re.findall(r"--[A-Za-z0-9_-]+", also_read))
    while True:
        text = "".join(tinycss2.serialize(rule.content) for rule, _ in parsed.values())
        read = mentioned | set(re.findall(r"var\(\s*(--[A-Za-z0-9_-]+)", text))
        changed = False
        for key, (rule, declarations) in parsed.items():
            keep = [
                d
                for d in declarations
                if d.type != "error" and (d.type != "declaration" or not d.name.startswith("--") or d.name in read)
            ]
            if len(keep) < len(declarations):
                changed = True
                parsed[key] = (rule, keep)
                rule.content = tinycss2.parse_component_value_list(";".join(d.serialize() for d in keep))
        if not changed:
            break
    return [r for r in rules if not (r.type == "qualified-rule" and not _strip(r.content))]


def icon_codepoints(css: str) -> set[int]:
    """Return the private-use code points (icon glyphs) the stylesheet names, escaped or as characters."""
    found = {int(h, 16) for h in _PUA_ESCAPE.findall(css)} | {ord(c) for c in set(css)}
    return {c for c in found if 0xE000 <= c <= 0xF8FF}


def subset_font(font_file: Path, codepoints: set[int]) -> bytes | None:
    """Return the font cut to the given code points, as WOFF, or None if it has none of them."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(font_file)
    present = codepoints & set(font.getBestCmap())
    if not present:
        return None
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]  # the font's copyright and licence (SIL OFL) travel with the subset
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def embed_fonts(rules: list[Any], static_dir: Path, codepoints: set[int]) -> list[Any]:
    """Cut each icon @font-face to the icons used; embed the one every page draws, write the others beside.

    A face the sheet names but no page draws (Font Awesome's regular and brand faces, here) stays a
    separate small file that the browser fetches only if a page ever needs it.
    """
    kept = []
    for rule in rules:
        if not (rule.type == "at-rule" and rule.lower_at_keyword == "font-face"):
            kept.append(rule)
            continue
        body = tinycss2.serialize(rule.content)
        sources = re.findall(r"url\(\"?([^)\"]+\.(?:woff2|ttf|woff))\"?\)", body)
        ttf = next((s for s in sources if s.endswith(".ttf")), None)
        if ttf is None or not (static_dir / ttf).exists():
            kept.append(rule)
            continue
        woff = subset_font(static_dir / ttf, codepoints)
        if woff is None:
            continue
        if Path(ttf).stem in EMBEDDED_FONTS:
            url = "data:font/woff;base64," + base64.b64encode(woff).decode()
        else:
            url = str(PurePosixPath(ttf).with_suffix(".subset.woff"))
            (static_dir / url).write_bytes(woff)
        body = re.sub(r"src:[^;]*", f'src:url({url}) format("woff")', body)
        rule.content = tinycss2.parse_component_value_list(body)
        kept.append(rule)
    return kept


def drop_unused_keyframes(rules: list[Any]) -> list[Any]:
    """Remove @keyframes no kept rule animates with."""
    used = set(_WORD.findall(serialize([r for r in rules if not _is_keyframes(r)])))
    return [r for r in rules if not _is_keyframes(r) or tinycss2.serialize(r.prelude).strip() in used]


def _is_keyframes(rule: Any) -> bool:
    return rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes")


def _compact(tokens: Iterable[Any]) -> None:
    """Shorten every run of whitespace (indentation, newlines) to one space, in place."""
    for token in tokens:
        if token.type == "whitespace":
            token.value = " "
        for attribute in ("content", "arguments", "prelude"):
            children = getattr(token, attribute, None)
            if isinstance(children, list):
                _compact(children)


def serialize(rules: list[Any], notices: Iterable[str] = ()) -> str:
    """Return rules as compact CSS, one rule a line, after the @charset that must come first and the notices."""
    _compact(rules)
    body = [
        tinycss2.serialize([r]).strip() for r in rules if not (r.type == "at-rule" and r.lower_at_keyword == "charset")
    ]
    return '@charset "UTF-8";\n' + "".join(f"{n}\n" for n in notices) + "\n".join(body) + "\n"


def build_site_css(static_dir: Path, sources: list[str], pages: list[Path], scripts: list[Path]) -> str:
    """Join, cut and return the book's stylesheet from its source sheets (paths under _static/)."""
    words = page_vocabulary(pages, scripts)
    rules: list[Any] = []
    seen: set[str] = set()
    notices: list[str] = []
    for source in sources:
        if (static_dir / source).exists():
            rules += read_rules(static_dir, source, seen, notices)
    rules = purge(rules, words)
    also_read = "".join(p.read_text(encoding="utf-8") for p in pages) + "".join(
        s.read_text(encoding="utf-8", errors="replace") for s in scripts
    )
    rules = drop_unused_keyframes(drop_unused_properties(rules, also_read))
    rules = embed_fonts(rules, static_dir, icon_codepoints(serialize(rules)))
    return serialize(rules, notices)


# ---- Sphinx: every page links the one sheet; the sheet is written when every page is --------------


def _use_site_css(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Record the page's stylesheets and link the one joined sheet in their place."""
    css_files = context.get("css_files")
    if not isinstance(css_files, list):
        return
    sources = getattr(app, "_citybook_css_sources", None)
    if sources is None:
        sources = app._citybook_css_sources = list(THEME_CSS)  # type: ignore[attr-defined]
    for css in css_files:
        filename = str(getattr(css, "filename", css)).split("?")[0]
        if filename.startswith("_static/"):
            filename = filename.removeprefix("_static/")
        if "://" not in filename and filename not in sources:
            sources.append(filename)
    css_files[:] = [_CascadingStyleSheet(f"_static/{SITE_CSS}", priority=500, rel="stylesheet", type="text/css")]


_SCRIPT_SRC = re.compile(r'<script\b[^>]*\ssrc="([^"?#]+)')


def loaded_scripts(pages: Iterable[Path]) -> set[Path]:
    """Return the script files the pages load (local ones only)."""
    found = set()
    for page in pages:
        for src in _SCRIPT_SRC.findall(page.read_text(encoding="utf-8")):
            path = (page.parent / src).resolve()
            if "://" not in src and path.is_file():
                found.add(path)
    return found


_SITE_LINK = re.compile(re.escape(SITE_CSS) + r"(\?v=[0-9a-f]+)?\"")


def _write_site_css(app: Sphinx, exception: Exception | None) -> None:
    """Write the joined sheet and stamp its digest into every page's link (so browsers refetch it)."""
    sources = getattr(app, "_citybook_css_sources", None)
    if exception is not None or app.builder.format != "html" or not sources:
        return
    outdir = Path(app.outdir)
    static_dir = outdir / "_static"
    pages = sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)
    scripts = loaded_scripts(pages) | set((static_dir / "chart-libraries").rglob("*.js"))
    css = build_site_css(static_dir, sources, pages, sorted(scripts))
    (static_dir / SITE_CSS).write_text(css, encoding="utf-8")
    digest = hashlib.sha256(css.encode()).hexdigest()[:10]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        stamped = _SITE_LINK.sub(f'{SITE_CSS}?v={digest}"', text)
        if stamped != text:
            page.write_text(stamped, encoding="utf-8")


def setup_site_css(app: Sphinx) -> None:
    """Link one joined, cut stylesheet from every page instead of the theme's dozen."""
    app.connect("html-page-context", _use_site_css, priority=960)
    app.connect("build-finished", _write_site_css, priority=900)
