"""The bundled example as cleaned Articles, built without ingest/clean so that the analyse and
timeline tests do not depend on those stages. Published dates are what the page headers say."""

from __future__ import annotations

from pathlib import Path

from storyline.models import Article, Post

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kim-putin-summit-2023"

_CAPTION_STARTS = ("In this photo", "A man watches", "Russian President Vladimir Putin (L)",
                   "North Korea leader Kim Jong Un (L)", "Russian President Vladimir Putin and North Korean leader Kim Jong Un held",
                   "North Korean leader Kim Jong-un (L)", "This photo, carried", "FILE PHOTO", "Russian President Vladimir Putin meets",
                   "Russian President Vladimir Putin and North Korean leader Kim Jong Un attend", "North Korean leader Kim Jong Un, Chinese",
                   "White House National Security Advisor", "Read more")
_BOILER = ("See also", "Leave a Reply", "Your email", "You may use", "Obtaining licensing", "Our standards",
           "(Reporting by", "ntd newsletter", "Sign up", "What you need", "Stay informed", "By registering",
           "From The Epoch", "Reuters contributed", "Source: The National", "NTD Photo", "Vladimir Putin Kim Jong Un",
           "Brighton Journal", "Complete News World", "September 29, 2023", "By Adam Morrow", "Adam Morrow",
           "September 6, 2023World News", "(Yonhap)", "Confidentiality and security", "Foreign trips",
           "Shoigu in Pyongyang", "Warning from Washington", "Envoy Scorns Sanctions")


def _is_noise(line: str) -> bool:
    s = line.strip()
    return (not s or " | " in s or s in ("AP",) or s.startswith(_BOILER) or s.startswith(_CAPTION_STARTS))


def _article(path: Path, published: str | None) -> Article:
    lines = path.read_text(encoding="utf-8").split("\n")
    title = lines[0].strip()
    body: list[str] = []
    captions: list[str] = []
    for line in lines[1:]:
        s = line.strip()
        if s.startswith(_CAPTION_STARTS):
            captions.append(s)
        elif not _is_noise(s) and s != title and s not in body:
            body.append(s)
    return Article(id=path.stem[:3], text="\n".join(body), path=str(path), title=title,
                   published=published, published_evidence="page header" if published else None,
                   captions=tuple(captions))


def _live_blog(path: Path) -> Article:
    lines = [x.strip() for x in path.read_text(encoding="utf-8").split("\n")]
    body: list[str] = []
    captions: list[str] = []
    posts: list[Post] = []
    pos = 0
    expect_title = True
    for s in lines:
        if expect_title:
            posts.append(Post(start=pos, title=s))
            expect_title = False
            continue
        if s.startswith("— "):
            posts[-1] = Post(start=posts[-1].start, title=posts[-1].title, authors=(s[2:],))
            expect_title = True
            continue
        if s.startswith(_CAPTION_STARTS):
            captions.append(s)
            continue
        if _is_noise(s):
            continue
        body.append(s)
        pos += len(s) + 1
    return Article(id="000", text="\n".join(body), path=str(path), title=posts[0].title,
                   posts=tuple(posts), captions=tuple(captions))


def example_articles() -> list[Article]:
    files = {p.name[:3]: p for p in EXAMPLE.glob("*.txt")}
    return [
        _live_blog(files["000"]),
        _article(files["001"], "2023-09-13"),
        _article(files["002"], "2023-09-29"),
        _article(files["003"], "2023-09-06"),
        _article(files["004"], None),
    ]
