"""Overprint for the press PDF: everything painted in pure black (DeviceCMYK 0/0/0/k) prints
over what lies under it instead of knocking it out, and nothing else does.

WeasyPrint writes no overprint, so this pass rewrites each content stream: after every operator
that sets a fill or stroke colour it selects one of four graphics states (``/OP`` for strokes,
``/op`` for fills, ``/OPM 1`` so that the zero C, M and Y of a black leave the other plates
alone), following ``q``/``Q`` as the graphics state does. It also reports whether a stream
paints in anything but black, which names the page's plates (``K`` or ``CMYK``). The same
input always gives the same stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

#: Graphics-state names → (stroke overprints, fill overprints).
STATES = {f"/BanmianOP{int(s)}{int(f)}": (s, f) for s in (False, True) for f in (False, True)}
_SPACE_OPS = {"cs": False, "CS": True}
_COLOUR_OPS = {"sc": False, "scn": False, "SC": True, "SCN": True, "k": False, "K": True,
               "g": False, "G": True, "rg": False, "RG": True}


@dataclass(frozen=True)
class _State:
    """The part of the graphics state this pass follows."""

    spaces: tuple[str, str] = ("/DeviceGray", "/DeviceGray")  # (fill, stroke)
    black: tuple[bool, bool] = (False, False)  # (stroke, fill) paint in pure K
    overprint: tuple[bool, bool] = (False, False)  # (stroke, fill) as set by this pass


@dataclass
class _Pass:
    state: _State = field(default_factory=_State)
    saved: list[_State] = field(default_factory=list)
    colour: bool = False  # something painted in C, M or Y (or a colour space not CMYK)
    out: list[Any] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)  # the XObjects it draws (Do)


def is_black(space: str, operands: list[float]) -> bool:
    """Whether a colour is DeviceCMYK pure black (some K, no C, M or Y)."""
    return space == "/DeviceCMYK" and len(operands) == 4 and not any(operands[:3]) \
        and operands[3] > 0


def _colour(run: _Pass, op: str, operands: list[Any]) -> None:
    stroke = _COLOUR_OPS[op]
    space = {"k": "/DeviceCMYK", "g": "/DeviceGray", "rg": "/DeviceRGB"}.get(op.lower())
    space = space or run.state.spaces[int(stroke)]
    values = [float(v) for v in operands if isinstance(v, int | float | Decimal)]
    black = is_black(space, values)
    if not black and (space != "/DeviceCMYK" or any(values[:3])):
        run.colour = True
    flags = list(run.state.black)
    flags[0 if stroke else 1] = black
    run.state = replace(run.state, black=(flags[0], flags[1]))
    if run.state.overprint != run.state.black:
        name = next(n for n, v in STATES.items() if v == run.state.black)
        run.out.append(([_name(name)], _operator("gs")))
        run.state = replace(run.state, overprint=run.state.black)


def _step(run: _Pass, operands: list[Any], operator: Any) -> None:
    op = str(operator)
    run.out.append((operands, operator))
    if op == "q":
        run.saved.append(run.state)
    elif op == "Q" and run.saved:
        run.state = run.saved.pop()
    elif op in _SPACE_OPS:
        spaces = list(run.state.spaces)
        spaces[int(_SPACE_OPS[op])] = str(operands[0])
        run.state = replace(run.state, spaces=(spaces[0], spaces[1]))
    elif op in _COLOUR_OPS:
        _colour(run, op, operands)
    elif op == "Do":
        run.drawn.append(str(operands[0]))


def _name(text: str) -> Any:
    import pikepdf

    return pikepdf.Name(text)


def _operator(text: str) -> Any:
    import pikepdf

    return pikepdf.Operator(text)


@dataclass(frozen=True)
class Rewritten:
    """A content stream with the overprint states: its bytes, whether it paints in any colour
    but black, and the names of the XObjects it draws."""

    data: bytes
    colour: bool
    drawn: tuple[str, ...]


def overprint_stream(stream: Any) -> Rewritten:
    """A content stream (a page or form XObject) rewritten with the overprint states."""
    import pikepdf

    run = _Pass()
    for operands, operator in pikepdf.parse_content_stream(stream):
        _step(run, list(operands), operator)
    return Rewritten(pikepdf.unparse_content_stream(run.out), run.colour, tuple(run.drawn))


def overprint_states(doc: Any) -> dict[str, Any]:
    """The four graphics states, as objects of ``doc``."""
    import pikepdf

    return {name: doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.ExtGState, OP=stroke, op=fill, OPM=1))
        for name, (stroke, fill) in STATES.items()}
