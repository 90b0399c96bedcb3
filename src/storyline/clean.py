"""clean: page boilerplate out of the body, captions apart, live blogs split into posts.

Works line by line on the page text (one paragraph per line). Each rule is general: it keys on
the shape of a line (a credit such as ``KCNA | AP``, a caption opening ``In this photo``, a
``— Name`` sign-off) or on its position (the page header, a block after ``Leave a Reply``),
never on one site's exact strings. Every removed line is kept in ``Article.removed`` with its
reason, captions also in ``Article.captions``.

HTML bodies come from trafilatura, which already dropped the page furniture; for them only the
rules that cannot hit article prose run (``HTML_SAFE``), so extraction recall is not lowered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .ingest.metadata import (
    AGENCIES,
    AGENCY_TAG_RE,
    BYLINE_RE,
    CONTRIBUTED_RE,
    DATELINE_RE,
    FROM_LINE_RE,
    SIGNOFF_RE,
    SOURCE_LINE_RE,
    find_title,
    header_span,
    is_date_line,
    lines_of,
    norm,
    split_title,
    word_count,
)
from .ingest.pagedates import dated_dateline
from .models import Article, Post, Removed

COMMENT_RE = re.compile(
    r"^(Leave a (Reply|Comment)|Post a Comment|Add a comment|Join the (conversation|discussion)|"
    r"Your email address will not be published|Required fields are marked|"
    r"You may use these HTML tags|Save my name, email|Notify me of (new|follow-up)|"
    r"Cancel reply|Post Comment|\d+ Comments?$|Comments?( \(\d+\))?$|Name \*$|Email \*$|Website$)",
    re.IGNORECASE,
)
NEWSLETTER_RE = re.compile(r"^(sign up|subscribe)\b|^get (our|the) .*(inbox|email)", re.IGNORECASE)
# "newsletter" alone is not enough ("The newsletter was founded in 1990."): it needs a sign-up word
# or a line too short to be a sentence ("ntd newsletter icon").
SIGNUP_WORDS_RE = re.compile(
    r"\b(sign up|subscribe|register|registering|inbox|e-?mail|privacy policy)\b", re.IGNORECASE
)
LICENSING_RE = re.compile(
    r"(licensing rights|all rights reserved|^(©|\(c\)|copyright)\s*(©\s*)?\d{4}\b|^©|"
    r"may not be (published|reproduced|redistributed|rewritten)|opens a new tab$)",
    re.IGNORECASE,
)
STANDARDS_RE = re.compile(r"^Our (standards|editorial (standards|guidelines)):", re.IGNORECASE)
SEE_ALSO_RE = re.compile(
    r"^(See also|Read more|Read also|Also read|Related( stories| articles| coverage)?:|"
    r"More from |Recommended( reading)?:|Watch:|WATCH:|Click here|READ MORE)",
)
REPORTING_RE = re.compile(
    r"^(\((Reporting|Additional reporting|Writing|Editing|Compiled) by\b|"
    r"(Reporting|Additional reporting|Writing|Editing) by [A-Z])"
)
CAPTION_START_RE = re.compile(
    r"^(In (this|these|a) (undated |file |handout |recent )?(photos?|images?|pictures?|video|photograph|screen ?grab)|"
    r"This (undated |file |handout )?(photo|image|picture|photograph|screen ?grab)|"
    r"FILE PHOTO|FILE -|File photo:|PHOTO:|Photo:|Pictured:|IMAGE:|Image:)"
)
# A caption ends with a photo credit in brackets: "(Alexey Nikolsky/Sputnik/AFP via Getty Images)".
CAPTION_CREDIT_RE = re.compile(
    r"\((?=[^()]*(?:[A-Z][\w.-]*/[A-Z]|\bvia [A-Z]|Getty|Photo\b|photo\b|Pool\b|Handout|AFP|EPA|"
    r"Shutterstock))[^()]{2,80}\)\s*$"
)
AGENCY_END_RE = re.compile(r"\((Yonhap|Reuters|AP|AFP|KCNA|Xinhua|EPA|Kyodo|TASS|UPI)\)\s*$")
PHOTO_WORDS_RE = re.compile(
    r"\b(photo|photos|pose[sd]?|posing|pictured|picture|file image|handout)\b", re.IGNORECASE
)
CREDIT_WORDS_RE = re.compile(
    r"(Getty Images|Shutterstock|/AFP|/AP\b|/Reuters|via Reuters|AP Photo|Pool photo)",
    re.IGNORECASE,
)
HOUSE_PHOTO_RE = re.compile(r"^[A-Z][\w&.-]*(?: [A-Z][\w&.-]*)? Photos?$")
TERMINAL = '.!?"”’:;'

# Bodies that an HTML extractor produced (no page header lines, furniture already dropped).
EXTRACTED_FORMATS = {"html", "url", "warc", "feed"}
# Rules that cannot remove article prose in a trafilatura body; the rest run on text pages only.
HTML_SAFE = {
    "comment form", "newsletter sign-up", "licensing", "editorial standards", "photo credit",
    "duplicate caption", "repeated headline", "agency tag", "date line", "reporting credit",
    "see-also link",
}  # fmt: skip


def clean(article: Article) -> Article:
    """A new Article with boilerplate removed, captions apart and live-blog posts found."""
    page = _Page(article)
    page.run()
    return page.result()


def is_photo_credit(line: str) -> bool:
    """``KCNA | AP``, ``AP``, ``Jung Yeon-je | Afp | Getty Images``, ``NTD Photo``."""
    if word_count(line) > 10 or line[-1] in ".!?":
        return False
    if " | " in line:
        parts = line.split(" | ")
        return all(1 <= word_count(p) <= 5 and not any(ch.isdigit() for ch in p) for p in parts)
    if line.casefold() in AGENCIES or HOUSE_PHOTO_RE.match(line):
        return True
    return bool(CREDIT_WORDS_RE.search(line)) and word_count(line) <= 8


def is_caption(line: str) -> bool:
    if CAPTION_START_RE.match(line):
        return True
    if CAPTION_CREDIT_RE.search(line):
        return True
    return bool(AGENCY_END_RE.search(line) and PHOTO_WORDS_RE.search(line))


def line_reason(line: str) -> str | None:
    """The reason to drop one line judged on its own, or None."""
    if COMMENT_RE.match(line):
        return "comment form"
    if word_count(line) <= 15 and (
        NEWSLETTER_RE.search(line)
        or (
            re.search(r"\bnewsletters?\b", line, re.IGNORECASE)
            and (word_count(line) <= 5 or SIGNUP_WORDS_RE.search(line))
        )
    ):
        return "newsletter sign-up"
    if STANDARDS_RE.match(line):
        return "editorial standards"
    if LICENSING_RE.search(line) and word_count(line) <= 25 and not is_caption(line):
        return "licensing"
    if SEE_ALSO_RE.match(line) and word_count(line) <= 30:
        return "see-also link"
    if AGENCY_TAG_RE.match(line):
        return "agency tag"
    if is_photo_credit(line):
        return "photo credit"
    if is_caption(line):
        return "photo caption"
    if REPORTING_RE.match(line) or CONTRIBUTED_RE.match(line):
        return "reporting credit"
    if SOURCE_LINE_RE.match(line) or (FROM_LINE_RE.match(line) and word_count(line) <= 6):
        return "source line"
    if BYLINE_RE.match(line):
        return "byline"
    if is_date_line(line):  # "Updated: November 11, 2011 20:09 IST", "Mumbai, Nov 11 -"
        return "date line"
    return None


def _sentence_like(line: str) -> bool:
    return line[-1] in TERMINAL or word_count(line) > 25


class _Page:
    """The lines of one article and the decision taken on each."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.html = article.fmt in EXTRACTED_FORMATS
        self.lines = lines_of(article.text)
        self.text = list(self.lines)  # body text of each line (a dateline prefix may be cut)
        self.reason: list[str | None] = [None] * len(self.lines)
        self.extra: list[tuple[int, Removed]] = []  # removals of part of a line (datelines)
        self.posts: list[
            tuple[int, int, str | None, tuple[str, ...]]
        ] = []  # (first, last, title, authors)
        self.authors: tuple[str, ...] = article.authors

    def set(self, i: int, reason: str) -> None:
        if self.reason[i] is None and (not self.html or reason in HTML_SAFE):
            self.reason[i] = reason

    def run(self) -> None:
        if not self.lines:
            return
        self.header()
        for i, line in enumerate(self.lines):
            r = line_reason(line)
            if r:
                self.set(i, r)
        self.blocks()
        self.captions_by_credit()
        self.live_blog()
        if not self.html:
            self.subheadings()
            self.dateline()
        self.duplicates()

    def header(self) -> None:
        """Headline, header dates, bylines and site names above the body."""
        title = self.article.title
        key = norm(title) if title else None
        if self.article.fmt != "text":  # bodies from HTML or records have no header lines
            for i, line in enumerate(self.lines[:3]):
                if key and norm(split_title(line)[0]) == key:
                    self.set(i, "repeated headline")
            return
        index, found = find_title(self.lines)
        end = header_span(self.lines, index, title or found)
        names = {norm(a) for a in self.authors}
        seen_title = False
        for i in range(end):
            line = self.lines[i]
            if i == index or (key and norm(split_title(line)[0]) == key):
                self.set(i, "repeated headline" if seen_title else "headline")
                seen_title = True
            elif is_date_line(line):
                self.set(i, "date line")
            elif BYLINE_RE.match(line) or norm(line) in names:
                self.set(i, "byline")
            else:
                self.set(i, "site name")
        # The headline again further down (pages often print it twice).
        for i in range(end, len(self.lines)):
            if key and norm(split_title(self.lines[i])[0]) == key:
                self.set(i, "repeated headline")

    def blocks(self) -> None:
        """A comment form or newsletter box runs on over the short lines that follow it."""
        for i, r in enumerate(list(self.reason)):
            if r in ("comment form", "newsletter sign-up"):
                for j in range(i + 1, len(self.lines)):
                    if self.reason[j] is not None:
                        continue
                    if word_count(self.lines[j]) > 15 and not COMMENT_RE.match(self.lines[j]):
                        break
                    self.set(j, r)

    def captions_by_credit(self) -> None:
        """The line just above a photo credit is that photo's caption."""
        for i, r in enumerate(self.reason):
            if r != "photo credit" or i == 0:
                continue
            if i + 1 < len(self.lines) and self.reason[i + 1] == "photo caption":
                continue  # the credit heads the caption below it ("NTD Photo" / caption)
            j = i - 1
            line = self.lines[j]
            if (
                self.reason[j] is None
                and word_count(line) <= 80
                and not SIGNOFF_RE.match(line)
                and line[0] not in "\"“‘'"  # a quotation is body text, not a caption
            ):
                self.set(j, "photo caption")
        # A short tag line right above a caption ("Vladimir Putin Kim Jong Un") belongs to it.
        for i in range(len(self.lines) - 1):
            line = self.lines[i]
            if (
                self.reason[i] is None
                and self.reason[i + 1] == "photo caption"
                and word_count(line) <= 8
                and line[-1] not in TERMINAL
                and all(w[:1].isupper() for w in line.split())
            ):
                self.set(i, "photo caption")

    def live_blog(self) -> None:
        """``— Author`` sign-offs: one makes the authors, two or more make a live blog."""
        signoffs = [
            i
            for i, line in enumerate(self.lines)
            if self.reason[i] is None and SIGNOFF_RE.match(line)
        ]
        for i in signoffs:
            self.set(i, "sign-off (author)")
        if self.html or not signoffs:
            return
        names = [SIGNOFF_RE.match(self.lines[i])["name"] for i in signoffs]  # type: ignore[index]
        people = tuple(dict.fromkeys(n for n in names if n.lower() not in AGENCIES))
        if len(signoffs) == 1:
            if not self.authors:
                self.authors = people
            return
        if not self.authors:
            self.authors = people
        first = 0
        for stop, name in zip(signoffs, names, strict=True):
            body = [k for k in range(first, stop) if self.reason[k] in (None, "headline")]
            title = None
            if body:
                head = body[0]
                line = self.lines[head]
                if self.reason[head] == "headline" or not _sentence_like(line):
                    title = self.article.title if self.reason[head] == "headline" else line
                    self.reason[head] = "post headline"
            self.posts.append((first, stop, title, (name,)))
            first = stop + 1

    def subheadings(self) -> None:
        """A short line without a full stop between two paragraphs is a section heading."""
        kept = [i for i, r in enumerate(self.reason) if r is None]
        for n, i in enumerate(kept):
            line = self.lines[i]
            if word_count(line) > 7 or line[-1] in TERMINAL or not line[0].isupper():
                continue
            if 0 < n < len(kept) - 1 and word_count(self.lines[kept[n + 1]]) >= 10:
                self.set(i, "subheading")

    def dateline(self) -> None:
        """``SEOUL, Sept. 13 (Korea Bizwire)`` opening the first paragraph is metadata, not text."""
        for i, r in enumerate(self.reason[:20]):
            if r is not None:
                continue
            m = DATELINE_RE.match(self.text[i])
            if m and word_count(self.text[i]) > 6:
                self.text[i] = self.text[i][m.end() :].strip()
                self.extra.append((i, Removed(m.group(0).strip(" –—-"), "dateline")))
                return
            dated = dated_dateline(self.text[i])  # "KIEV, April 7. /ITAR-TASS/ ..."
            if dated and word_count(self.text[i][dated.end :]) > 5:
                self.text[i] = self.text[i][dated.end :].strip()
                self.extra.append((i, Removed(dated.written, "dateline")))
            return

    def duplicates(self) -> None:
        seen: set[str] = set()
        for i, r in enumerate(self.reason):
            if r not in (None, "photo caption"):
                continue
            key = norm(self.text[i])
            if key in seen:
                self.reason[i] = None
                self.set(i, "duplicate caption" if r == "photo caption" else "duplicate line")
                if self.reason[i] is None:
                    self.reason[i] = r
            seen.add(key)

    def result(self) -> Article:
        body: list[str] = []
        starts: dict[int, int] = {}
        offset = 0
        for i, r in enumerate(self.reason):
            if r is None and self.text[i]:
                starts[i] = offset
                body.append(self.text[i])
                offset += len(self.text[i]) + 1
        removed: list[tuple[int, Removed]] = [
            (i, Removed(self.lines[i], r)) for i, r in enumerate(self.reason) if r is not None
        ]
        removed.extend(self.extra)
        removed.sort(key=lambda item: item[0])
        captions = tuple(
            dict.fromkeys(self.lines[i] for i, r in enumerate(self.reason) if r == "photo caption")
        )
        posts = []
        for first, last, title, authors in self.posts:
            inside = [starts[k] for k in range(first, last) if k in starts]
            if inside:
                posts.append(Post(start=inside[0], title=title, authors=authors))
        return replace(
            self.article,
            text="\n".join(body),
            removed=self.article.removed + tuple(r for _, r in removed),
            captions=self.article.captions + captions,
            posts=tuple(posts) if posts else self.article.posts,
            authors=self.authors,
        )
