"""HTML to the normalized text: a maintained article extractor first, today's cleaner as its fallback.

Pages built of plain <div>s ("div soup") carry menus, cookie banners, newsletter boxes and licence pickers that no
tag names as such. trafilatura (with its own readability/jusText fallbacks) finds the article in them. It runs on
the page after our own cleaning: semantic furniture (<nav>, <footer>, <aside>), furniture named by class or id
("related-posts", "comments") and tables, which become one line per row with their cells named so that
"Asia-Pacific", "38.2%" and "USD 4.1 billion" stay separate tokens. When the extractor keeps too little of the
cleaned page, the cleaned page's own text is used instead.

Both paths report the kind of the lines they know (a heading, the page's headline, a caption, a list item, a
table row) as hints for `structure.mark_lines`.
"""

from __future__ import annotations

import re
from typing import Optional

from .junk import LIST_OF_OTHERS
from .tables import row_sentences

_HTML_DROP = ["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg", "button",
              "template", "select", "input"]
_HTML_BLOCKS = ["p", "div", "section", "article", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br",
                "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "figcaption"]
# Page furniture named by its class or id, for pages built of plain <div>s ("div soup") without semantic tags.
_JUNK_CLASS = re.compile(
    r"(?:^|[-_\s])(related|popular|trending|sidebar|widget|comments?|cookies?|consent|share|sharing|social|"
    r"newsletter|subscribe|menu|navbar|nav|breadcrumbs?|footer|banner|advert|ads|promo|sample-cta|cta)(?:[-_\s]|$)",
    re.IGNORECASE,
)
# The extractor's output must keep at least this share of the cleaned page's words, or it dropped the article.
MIN_EXTRACTED_SHARE = 0.5
MIN_EXTRACTED_WORDS = 40


def _is_page_furniture(tag) -> bool:
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(names.strip()) and _JUNK_CLASS.search(names) is not None


def _is_link_block(block) -> bool:
    """ "Related reports by Acme: <a>...</a><br><a>...</a>": a block that opens with a related-stories heading and
    is mostly links, the stories of other markets."""
    text = _spaced(block.get_text(" "))
    if not text:
        return False
    first = next((s.strip() for s in block.find_all(string=True) if s.strip()), "")
    linked = sum(len(a.get_text(" ").split()) for a in block.find_all("a"))
    return bool(LIST_OF_OTHERS.search(first)) and linked >= 0.5 * len(text.split())


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _table_to_paragraphs(soup, table, hints: dict[str, str]) -> None:
    """An HTML table becomes one paragraph per row, cells named by their headers (`tables.row_sentences`):
    get_text("") would glue "Asia-Pacific", "38.2%" and "USD 4.1 billion" into one token."""
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    rows = [r for r in rows if any(r)]
    first = table.find("tr")
    has_header = bool(first) and first.find("td") is None and first.find("th") is not None
    header, body = (rows[0], rows[1:]) if has_header and rows else ([], rows)
    caption = table.find("caption")
    replacement = soup.new_tag("div")
    if caption and caption.get_text(strip=True):
        line = _spaced(caption.get_text(" "))
        hints[line] = "caption"
        paragraph = soup.new_tag("p")
        paragraph.string = line
        replacement.append(paragraph)
    for line in row_sentences(body, header):
        hints[line] = "table row"
        paragraph = soup.new_tag("p")
        paragraph.string = line
        replacement.append(paragraph)
    table.replace_with(replacement)


def _clean(source: str, hints: dict[str, str]):
    """The page without scripts, semantic or class-named furniture, with tables as row paragraphs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "lxml")
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": ["navigation", "banner", "contentinfo", "complementary"]}):
        tag.decompose()
    for tag in [t for t in soup.find_all(True) if t.name not in ("html", "body", "main", "article", "head", "title")
                and _is_page_furniture(t)]:
        if not tag.decomposed:
            tag.decompose()
    for block in soup.find_all(["p", "div", "section", "ul", "ol"]):
        if not block.decomposed and _is_link_block(block):
            block.decompose()
    for table in soup.find_all("table"):
        _table_to_paragraphs(soup, table, hints)
    for tag in soup.find_all("figcaption"):
        hints[_spaced(tag.get_text(" "))] = "caption"
    for level in ("h1", "h2", "h3", "h4", "h5", "h6"):
        for tag in soup.find_all(level):
            hints.setdefault(_spaced(tag.get_text(" ")), "headline" if level == "h1" else "heading")
    return soup


def _soup_text(soup) -> str:
    """The cleaned page's own text, one block per line (the fallback path)."""
    # Source line breaks inside a paragraph are plain white space in HTML.
    for string in soup.find_all(string=True):
        if not string.find_parent("pre"):
            string.replace_with(re.sub(r"\s+", " ", str(string)))
    for tag in soup.find_all("li"):
        tag.insert(0, "- ")
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    body = soup.body or soup
    return body.get_text("")


def _element_lines(element) -> list[str]:
    """An element's text, split where the page broke the line (<br>, which the extractor writes as <lb/>)."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(_element_lines(child)))
        parts.append(child.tail or "")
    return [_spaced(line) for line in "".join(parts).split("\n") if line.strip()]


def _extracted_lines(cleaned_html: str, hints: dict[str, str]) -> Optional[list[str]]:
    """The article as trafilatura finds it, one block per line, or None when it finds none."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(cleaned_html, output_format="xml", include_tables=True, include_comments=False,
                              include_formatting=False, include_links=False, include_images=False, deduplicate=False)
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return None
    lines: list[str] = []
    for element in main.iter("head", "p", "item", "quote", "row"):
        if element.tag == "p" and element.getparent() is not None and element.getparent().tag in ("item", "cell"):
            continue
        if element.tag == "row":
            cells = [_spaced("".join(cell.itertext())) for cell in element.iter("cell")]
            texts = ["; ".join(c for c in cells if c)]
            hints[texts[0]] = "table row"
        else:
            texts = _element_lines(element)
        for text in filter(None, texts):
            if element.tag == "item":
                text = f"- {text}"
                hints[text] = "list item"
            elif element.tag == "head":
                hints.setdefault(text, "heading")
            lines.append(text)
        lines.append("")
    return lines


def html_to_text(source: str) -> tuple[str, Optional[str], dict[str, str]]:
    """The page's text, its <title> (or first heading) and the kinds of the lines the markup tells."""
    hints: dict[str, str] = {}
    soup = _clean(source, hints)
    title = _spaced(soup.title.get_text(" ")) if soup.title and soup.title.get_text(strip=True) else None
    if not title:
        heading = soup.find(["h1", "h2"])
        title = _spaced(heading.get_text(" ")) if heading else None
    cleaned_html = str(soup)
    fallback = _soup_text(soup)
    try:
        extracted = _extracted_lines(cleaned_html, hints)
    except (ValueError, SyntaxError):  # lxml's XMLSyntaxError is a SyntaxError; the fallback reads such a page
        extracted = None
    if extracted is not None:
        words = sum(len(line.split()) for line in extracted)
        if words >= MIN_EXTRACTED_WORDS and words >= MIN_EXTRACTED_SHARE * len(fallback.split()):
            return "\n".join(extracted), title, hints
    return fallback, title, hints
