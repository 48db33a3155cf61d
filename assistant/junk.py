"""Page chrome removed from a report's lines, whatever the format: menus and breadcrumbs, cookie banners, share
bars, newsletter boxes, calls to action, contact blocks, reader comments and "related stories" lists.

The HTML reader already drops what markup names as furniture; this pass is for what survives as plain lines, in
text and Markdown files above all, where nothing but the line itself tells page chrome from the report. Each rule
reads a trait of the chrome (a line of short items between separators, a phone number, a comment section's
heading), never the wording of one page.
"""

from __future__ import annotations

import re

from .sentences import LIST_MARKER
from .structure import FIGURE

_JUNK_LINE_PATTERNS = [
    r"free sample",
    r"^\(?https?://\S+\)?$",
    r"^(e-?mail|tel|phone|fax|add|address|en|jp|web|website)\s*:",
    r"^contact us\b",
    r"^if you have any queries regarding this report",
    r"^(explore|see|view|browse|read) (our )?(latest |more |other |related )?(trending )?(reports|articles|news)\b",
    r"^(related|trending|popular|recent) (reports|posts|articles)\b",
    r"^(leave a (comment|reply)|post a comment|your email address will not be published)",
    r"required fields are marked",
    r"you may use these html tags",
    r"(コメント|カテゴリー|メールアドレス|投稿者|次のHTML)",
    r"^(share|tweet|print|subscribe)( this)?( article| report)?$",
    r"^(all rights reserved|copyright\b|©)",
    r"^\*+$",
]
LIST_OF_OTHERS = re.compile(
    r"^(?:#+\s*)?\**\s*(related|trending|popular|recent|similar|other|more|latest|you may also like|see also|also read|"
    r"browse|explore)\b[\w\s]{0,30}\b(reports?|posts?|articles?|news|stories|research|like|reading|coverage|links|content|studies|titles|publications)\b"
    r"(?:\s+(?:by|from)\s+[\w\s&.'’-]{1,50})?\W*$"
    r"|^(?:#+\s*)?\**\s*(more from|read more|further reading|recommended for you|don't miss|you (?:may|might) also "
    r"(?:like|enjoy)|see also|also read)\b[\w\s'&-]{0,40}\W*$"
    r"|^(?:#+\s*)?\**\s*(?:earlier|more|other|latest) (?:news |releases |stories )?(?:on|from) this (?:wire|source|site|feed)\W*$",
    re.IGNORECASE,
)
# A teaser of another story: "Automotive Battery Market - estimated at ...", "> Feb. 06, 2025 - Drone Market to ...".
TEASER = re.compile(r"^>?\s*(?:[A-Z][a-z]{2}\.? \d{1,2}, \d{4}\s*[-–—]\s*)?[A-Z][\w&'’-]*(?:\s+[\w&'’-]+){0,7}\s+Market\b"
                    r"\s*(?:[-–—:]|to\b)")
# In a block of links to other stories: a quoted teaser ("> Wind Turbine Market: ..."), its wrapped continuation
# (a line that starts in lower case) or a rule line.
_OTHERS_CONTINUATION = re.compile(r"^(?:>|[a-z]|[-=_*]{3,}$)")
# A line that stops on a comma or a word that cannot end a phrase ("... to grow from") is wrapped, not finished.
_UNFINISHED = re.compile(r"(?:,|\b(?:of|from|to|at|in|by|for|and|or|the|a|an|with|on|than|as))\s*$", re.IGNORECASE)
_JUNK_LINE = re.compile("|".join(f"(?:{p})" for p in _JUNK_LINE_PATTERNS), re.IGNORECASE)
_CONTACT_DETAIL = re.compile(
    r"(@[\w-]+\.\w+|https?://|\bsuite \d+|\b\d{3}[-\s]\d{3}[-\s]\d{4}\b|^[A-Z][\w&.,' -]{0,40}\b(inc|ltd|llc|gmbh|co)\.?$)",
    re.IGNORECASE,
)

# A bar of short items between separators: "Home > News > Energy", "Print | Email | Share on X", "Login · Cart".
_BAR_SEPARATOR = re.compile(r"\s+(?:\||>|›|»|·|/)\s*|\s*(?:\||›|»|·)\s+")
# Bracketed buttons: "[Tweet] [Share on LinkedIn] [Email]", "[ OK ] [ More info ]".
_BUTTONS = re.compile(r"^(?:\[[^\]]{1,30}\]\s*(?:[·|]\s*)?){2,}(?:[·|]?\s*[\w\s]{0,20})?$")
_CHROME_LINE = re.compile(
    r"\bcookies?\b.{0,120}\b(?:(?:web)?site|brows\w*|consent|accept|agree)\b|\b(?:web)?site uses cookies"
    r"|\bwe (?:and our partners )?use cookies|\bcookie (?:notice|policy|settings)"
    r"|^home\s*(?:>|›|»|/|\|)"
    r"|^(?:share|follow us|visit us|connect with us)\b.{0,60}(?:facebook|linkedin|twitter|whatsapp|social|\bx\b)"
    r"|^(?:newsletter|subscribe|sign up)\b|\b(?:subscribe to|sign up for)\b.{0,60}\b(?:newsletter|digest|feed|alerts|updates)\b"
    r"|^(?=(?:\S+\s+){0,24}\S+$).*\b(?:join|subscribe|sign up|get|receive)\b.*\b(?:newsletter|digest)\b"
    r"|^enter your (?:business |work )?e-?mail\b|^for more information\b.{0,80}\bvisit\b"
    r"|^(?:sponsored|advertisement|promoted)\b"
    r"|^\W*(?:download|request|get|ask for)\b.{0,30}\b(?:sample|brochure|briefing|discount|pdf|demo|quote|customi[sz]ation|summary|whitepaper|access)\b"
    r"|\binquire before buying\b|^buy now\b|^email us here$|^distribution channels?:|^(?:legal )?disclaimer:"
    r"|^posted (?:in|by|on)\b|^by [A-Z][\w.]*(?: [A-Z][\w.]*)?$"
    r"|^\S+\.(?:jpe?g|png|gif|svg|webp)$",
    re.IGNORECASE,
)
# A shop's checkout line: the payment methods it takes ("We accept Visa, PayPal and wire transfer"). A line with a
# figure is a payments market's own prose ("cards took 40% of payments").
_PAYMENT_LINE = re.compile(
    r"\b(?:we accept|payment (?:methods?|options?)\b|pay (?:securely )?(?:by|with))\b.{0,80}\b(?:visa|mastercard|"
    r"american express|amex|paypal|credit cards?|debit cards?|wire transfers?|bank transfers?)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]\d{3}[\s.-]\d{3,4}\b")
_STREET = re.compile(r"\b\d{1,5}\s+(?:[A-Z][\w-]*\s+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Boulevard|Blvd\.|Way|"
                     r"Plaza|Parkway|Lane|Drive|Towers?|Park|Square)\b|\bSuite \d+")
# The heading of a contact block ("Media Contact", "Contacts", "Press enquiries:") or of a comment section.
_CONTACT_HEADING = re.compile(r"^(?:media |press |sales |investor )?(?:contacts?|enquiries|inquiries)(?: us)?\b[^.]{0,40}$",
                              re.IGNORECASE)
_COMMENTS_HEADING = re.compile(
    r"^(?:join the (?:conversation|discussion)|\d+ (?:comments?|responses?|replies)|(?:reader )?comments?\s*(?:\(\d+\))?:?|"
    r"(?:leave|write|post) a (?:comment|reply)|discussion)(?:\s*\(\d+\))?\W*$",
    re.IGNORECASE)
# Where a comment section ends: the publisher's blurb or contact block that pages put after it.
_AFTER_COMMENTS = re.compile(r"^(?:about\b|media contact|contacts?\b)", re.IGNORECASE)


def _is_bar(line: str) -> bool:
    """A menu, breadcrumb or share bar: three or more short items between separators, no figure, no year."""
    items = [item for item in _BAR_SEPARATOR.split(line) if item.strip()]
    # A dated byline ("Acme Research | Press Release | Chicago, 3 April 2025") says who published it and when.
    return len(items) >= 3 and all(len(item.split()) <= 4 for item in items) and not FIGURE.search(line) \
        and not re.search(r"\b(?:19|20)\d\d\b", line)


def _is_contact_detail(line: str) -> bool:
    """A line of contact details: two of an e-mail address, a phone number and a street address, or one in a short
    line."""
    signals = sum(bool(pattern.search(line)) for pattern in (_EMAIL, _PHONE, _STREET))
    if FIGURE.search(line):
        return False
    return signals >= 2 or (signals == 1 and len(line.split()) <= 16)


def is_chrome(line: str) -> bool:
    """A line of page chrome on its own, wherever it stands."""
    buttons = len(re.findall(r"\[[^\]]{1,20}\]", line)) >= 2 and len(line.split()) <= 12 and not FIGURE.search(line)
    payment = bool(_PAYMENT_LINE.search(line)) and not FIGURE.search(line)
    return bool(_CHROME_LINE.search(line) or _BUTTONS.match(line) or buttons or payment or _is_bar(line)
                or _is_contact_detail(line))


def _is_link_list_item(line: str) -> bool:
    """A bare navigation entry such as '- Art' or '- Help Post': a bullet of one to three words, no sentence."""
    if not LIST_MARKER.match(line):
        return False
    body = LIST_MARKER.sub("", line)
    return len(body.split()) <= 3 and not re.search(r"[.:;,%$\d]", body)


def _next_is_item(lines: list[str], i: int) -> bool:
    """Past blank lines, the next line is one more list item or teaser of the same block."""
    while i < len(lines) and not lines[i]:
        i += 1
    return i < len(lines) and bool(LIST_MARKER.match(lines[i]) or lines[i].startswith(">") or TEASER.match(lines[i]))


def remove_junk(lines: list[str]) -> list[str]:
    """Drop banners, link lists, contact blocks and comment forms, keeping the report's own lines."""
    kept: list[str] = []
    in_contact_block = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            kept.append(line)
            i += 1
            continue
        # A run of 4+ bare one-to-three-word bullets is a navigation list, not content.
        run_end = i
        while run_end < len(lines) and lines[run_end] and _is_link_list_item(lines[run_end]):
            run_end += 1
        if run_end - i >= 4:
            if kept and kept[-1].rstrip().endswith(":") and len(kept[-1].split()) <= 8:
                kept.pop()  # the list's own heading, e.g. "Explore Our Latest Trending Reports:"
            i = run_end
            continue
        if LIST_OF_OTHERS.search(line) or (line.startswith(">") and TEASER.match(line)):
            # "Related reports:", "Popular posts": the block under it is about other markets, as far as its lines
            # are list items, short link titles or name a market; a line of the report's own prose ends it.
            if LIST_OF_OTHERS.search(line):
                i += 1  # the block's heading; a quoted teaser opens the block itself
            while i < len(lines) and not lines[i]:
                i += 1
            first = i
            while i < len(lines) and (lines[i] or _next_is_item(lines, i)) and (
                    not lines[i] or LIST_MARKER.match(lines[i]) or len(lines[i].split()) <= 5
                    or re.search(r"\bmarkets?\b", lines[i], re.IGNORECASE)
                    or _OTHERS_CONTINUATION.match(lines[i])
                    or (i > first and _UNFINISHED.search(lines[i - 1]))):
                i += 1  # an item wrapped over lines goes with it: its line before stops mid-phrase
            continue
        if _COMMENTS_HEADING.match(line):
            # Reader comments run to the publisher's blurb or the end of the page.
            i += 1
            while i < len(lines) and not _AFTER_COMMENTS.match(lines[i]):
                i += 1
            continue
        if re.match(r"^contact us\b", line, re.IGNORECASE) or _CONTACT_HEADING.match(line):
            in_contact_block = True
        if _JUNK_LINE.search(line) or is_chrome(line) or (
                in_contact_block and (_CONTACT_DETAIL.search(line) or len(line.split()) <= 6)):
            i += 1
            continue
        in_contact_block = False  # the first line of real prose ends a contact block
        kept.append(line)
        i += 1
    return kept
