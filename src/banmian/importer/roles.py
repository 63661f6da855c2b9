"""Stories → content modules: give each story a role and render its front matter and body.

Roles: a story with a pen name is commentary; consecutive short dateline stories without a byline
form one strip of briefs; the longest bylined story is the lead and the other bylined ones are
profiles; everything else is a generic article (which never loses text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from banmian.chinese.punct import normalize
from banmian.importer.structure import BannerText, Fig, Note, Story
from banmian.model import Role

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!&~|#])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([+\-=])")


@dataclass
class ModuleOut:
    """One module file to write, and its entry in edition.toml."""

    file: str
    role: Role
    stories: list[Story]
    banner: BannerText | None = None
    front: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    def text(self) -> str:
        head = "+++\n" + "".join(line + "\n" for line in self.front) + "+++\n"
        return head + "".join("\n" + block + "\n" for block in self.body)


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def md_escape(text: str) -> str:
    """Escape ``text`` so that Markdown gives it back as plain text, character for character."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: (f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                                       else f"\\{m.group(3)}"), text)


def _is_brief(story: Story) -> bool:
    paragraphs = story.paragraphs
    return bool(story.headline is not None and story.dateline and story.byline is None
                and story.pen_name is None and story.kicker is None
                and all(kind == "p" for kind, _ in story.blocks)
                and sum(len(p.text) for p in paragraphs) < 1500)


def _single_role(story: Story) -> Role:
    if story.headline is None:
        return "article"
    if story.pen_name is not None and story.byline is None and story.kicker is None:
        return "commentary"
    return "profile" if story.byline is not None else "article"


def group(stories: list[Story], notes: list[Note]) -> list[tuple[Role, list[Story]]]:
    """Roles for the stories, with runs of briefs grouped into one strip."""
    groups: list[tuple[Role, list[Story]]] = []
    for story in stories:
        if _is_brief(story):
            if groups and groups[-1][0] == "briefs" and story.banner is None:
                groups[-1][1].append(story)
            else:
                groups.append(("briefs", [story]))
            continue
        groups.append((_single_role(story), [story]))
    bylined = [i for i, (role, _) in enumerate(groups) if role == "profile"]
    if bylined:
        lead = max(bylined, key=lambda i: sum(len(p.text) for p in groups[i][1][0].paragraphs))
        groups[lead] = ("lead", groups[lead][1])
        for i in bylined:
            if i != lead:
                notes.append(Note(groups[i][1][0].line, "bylined article that is not the "
                                  "longest read as a profile (it may be a plain article)"))
    return groups


def _figures(story: Story) -> tuple[list[str], dict[int, str]]:
    front: list[str] = []
    ids: dict[int, str] = {}
    for kind, block in story.blocks:
        if kind == "fig" and isinstance(block, Fig):
            fig_id = f"fig-{len(ids) + 1}"
            ids[id(block)] = fig_id
            front += ["", "[[figures]]", f"id = {toml_string(fig_id)}",
                      f"caption = {toml_string(normalize(block.caption.text))}"]
            if block.credit is not None:
                front.append(f"credit = {toml_string(normalize(block.credit.text))}")
    return front, ids


def render_story(out: ModuleOut, story: Story, notes: list[Note]) -> None:
    """Front matter and body of a lead, profile, commentary or article module."""
    fields = {"kicker": story.kicker, "headline": story.headline, "deck": story.deck,
              "byline": story.byline, "pen-name": story.pen_name,
              "contributor": story.contributor}
    if out.role != "commentary" and story.pen_name is not None:
        fields["pen-name"] = None
        fields["byline"] = fields["byline"] or story.pen_name
        notes.append(Note(story.pen_name.line, "pen name kept as the byline"))
    for key, unit in fields.items():
        if unit is not None:
            out.front.append(f"{key} = {toml_string(normalize(unit.text))}")
    figure_front, ids = _figures(story)
    out.front += figure_front
    for kind, block in story.blocks:
        if isinstance(block, Fig):
            out.body.append(f"![](#{ids[id(block)]})")
        elif kind == "h":
            out.body.append("## " + md_escape(normalize(block.text)))
        else:
            out.body.append(md_escape(normalize(block.text)))


def render_briefs(out: ModuleOut) -> None:
    """Front matter of a strip of briefs: one [[items]] table per story."""
    for story in out.stories:
        assert story.headline is not None
        dateline = story.dateline or ""
        paragraphs = [normalize(p.text) for p in story.paragraphs]
        paragraphs[0] = paragraphs[0][len(dateline):].strip(" \u3000")
        body = "\n\n".join(p for p in paragraphs if p)
        out.front += ["[[items]]", f"title = {toml_string(normalize(story.headline.text))}",
                      f"dateline = {toml_string(normalize(dateline))}",
                      f"body = {toml_string(body)}"]
        if story.contributor is not None:
            out.front.append(f"contributor = {toml_string(normalize(story.contributor.text))}")
        out.front.append("")


def modules(stories: list[Story], notes: list[Note]) -> list[ModuleOut]:
    """Every module to write, in reading order, with unique file names."""
    used: dict[str, int] = {}
    outs: list[ModuleOut] = []
    for role, members in group(stories, notes):
        used[role] = used.get(role, 0) + 1
        name = role if used[role] == 1 else f"{role}-{used[role]}"
        out = ModuleOut(f"{name}.md", role, members, members[0].banner)
        if role == "briefs":
            render_briefs(out)
        else:
            render_story(out, members[0], notes)
        outs.append(out)
    return outs
