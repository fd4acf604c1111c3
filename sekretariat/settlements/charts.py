"""Diagrammer: the monitoring report's charts as SVG strings, from plain numbers.

No ORM and no engine here: callers pass lists and dicts. Matplotlib runs headless (Agg), through
its object API (no pyplot state), offline, with DejaVu Sans; text stays text in the SVG
(``svg.fonttype: none``) so it is searchable, sharp in the PDF and small. Labels are Danish
(domain values, as the report is in Danish); numbers use Danish separators (1.234,5).
"""

import datetime
import hashlib
import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

#: Colour-blind safe (Okabe–Ito), in a fixed order per treatment type.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
BRAND = "#0b4f6c"
FLAG = "#b3261e"
BAND = "#dbe7ee"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#1a1a1a",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "svg.fonttype": "none",
    "svg.hashsalt": "sekretariat-iv",
    "legend.frameon": False,
}


def danish_number(value: float, decimals: int = 0) -> str:
    """1234.5 → '1.234,5' (Danish thousands and decimal separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _axis_format(decimals: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: danish_number(value, decimals))


def _svg(fig: Figure, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Several charts share one page: give each chart's ids (and the references to them, e.g.
    # clip paths) a prefix of its own, so no chart borrows another's definitions.
    prefix = "c" + hashlib.sha256(title.encode()).hexdigest()[:8] + "-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    # Accessible inline SVG: a role and a title that screen readers announce.
    text = re.sub(r"<svg ", '<svg role="img" ', text, count=1)
    return re.sub(r"(<svg[^>]*>)", rf"\1<title>{_escape(title)}</title>", text, count=1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def courses_by_type(
    municipalities: Sequence[str], counts: Mapping[str, Sequence[int]], title: str
) -> str:
    """Stacked horizontal bars: one bar per municipality, one segment per treatment type."""
    with rc_context(_STYLE):
        fig = _figure(7.2, 0.45 * len(municipalities) + 1.4)
        ax = fig.add_subplot()
        left = [0] * len(municipalities)
        positions = list(range(len(municipalities)))[::-1]
        for colour, (label, values) in zip(PALETTE, counts.items(), strict=False):
            ax.barh(positions, values, left=left, color=colour, label=label, height=0.62)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in zip(positions, left, strict=True):
            ax.text(total, y, f"  {danish_number(total)}", va="center", fontsize=8.5)
        ax.set_yticks(positions, municipalities)
        ax.xaxis.set_major_formatter(_axis_format())
        ax.set_xlabel("Antal forløb")
        ax.set_xlim(0, max(left or [1]) * 1.12)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(counts), fontsize=8.5)
        ax.set_title(title, loc="left", pad=24)
        return _svg(fig, title)


def staircase(
    year: int,
    days: Sequence[datetime.date],
    cumulative: Sequence[int],
    steps: Sequence[tuple[int, int]],
    title: str,
    period_end: datetime.date | None = None,
) -> str:
    """The year's running count of courses by start date, with the step thresholds
    (``steps``: (step number, first course of the step)) as dashed lines."""
    with rc_context(_STYLE):
        fig = _figure(7.2, 3.4)
        ax = fig.add_subplot()
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if days:
            xs = [start, *days]
            ys = [0, *cumulative]
            ax.step(xs, ys, where="post", color=BRAND, linewidth=2, label="Forløb i året")
        top = max([*cumulative, *[first for _n, first in steps]], default=1)
        for number, first in steps:
            if first > 1:
                ax.axhline(first - 0.5, color="#777777", linestyle="--", linewidth=1)
                ax.text(
                    start,
                    first,
                    f" trin {number} fra forløb nr. {danish_number(first)}",
                    va="bottom",
                    fontsize=8.5,
                    color="#333333",
                )
        if period_end is not None and period_end < end:
            ax.axvline(period_end, color="#999999", linewidth=0.8)
        ax.set_xlim(start, end)
        ax.set_ylim(0, top * 1.12)
        ax.set_xticks([datetime.date(year, m, 1) for m in range(1, 13)], MONTHS)
        ax.yaxis.set_major_formatter(_axis_format())
        ax.set_ylabel("Forløb (løbende antal)")
        ax.set_title(title, loc="left")
        return _svg(fig, title)


def length_distribution(lengths: Mapping[str, Sequence[int]], title: str, cap: int = 21) -> str:
    """Courses by length in days, stacked by type; lengths above ``cap`` share the last bar."""
    with rc_context(_STYLE):
        fig = _figure(7.2, 3.3)
        ax = fig.add_subplot()
        bottom = [0] * cap
        for colour, (label, values) in zip(PALETTE, lengths.items(), strict=False):
            counts = [0] * (cap + 1)
            for days in values:
                counts[min(days, cap)] += 1
            ax.bar(
                range(1, cap + 1), counts[1:], bottom=bottom, width=0.8, color=colour, label=label
            )
            bottom = [a + b for a, b in zip(bottom, counts[1:], strict=True)]
        ax.set_xticks(
            range(1, cap + 1), [str(d) if d < cap else f"{cap}+" for d in range(1, cap + 1)]
        )
        ax.set_xlim(0.4, cap + 0.6)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(_axis_format())
        ax.set_xlabel("Forløbets længde (dage)")
        ax.set_ylabel("Antal forløb")
        ax.legend(fontsize=8.5)
        ax.set_title(title, loc="left")
        return _svg(fig, title)


def band_bars(
    municipalities: Sequence[str],
    values: Sequence[float | None],
    title: str,
    unit: str,
    *,
    median: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    flagged: frozenset[str] = frozenset(),
    decimals: int = 0,
    band_label: str = "median ± k·MAD",
) -> str:
    """One bar per municipality, the band median ± k·MAD shaded, flagged municipalities in red.

    A municipality without a value (e.g. no population on record) gets no bar and 'ingen værdi'."""
    with rc_context(_STYLE):
        fig = _figure(7.2, 0.42 * len(municipalities) + 1.3)
        ax = fig.add_subplot()
        positions = list(range(len(municipalities)))[::-1]
        shown = [v if v is not None else 0 for v in values]
        colours = [FLAG if name in flagged else BRAND for name in municipalities]
        if lower is not None and upper is not None:
            ax.axvspan(max(lower, 0), upper, color=BAND, zorder=0, label=band_label)
        if median is not None:
            ax.axvline(median, color="#333333", linewidth=1, linestyle="--", label="median")
        ax.barh(positions, shown, color=colours, height=0.6, zorder=2)
        for y, value, name in zip(positions, values, municipalities, strict=True):
            text = "ingen værdi" if value is None else danish_number(value, decimals)
            if name in flagged:
                text += "  ▲ afviger"
            colour = FLAG if name in flagged else "#1a1a1a"
            ax.annotate(
                text,
                (value or 0, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=colour,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                zorder=3,
            )
        ax.set_yticks(positions, municipalities)
        ax.xaxis.set_major_formatter(_axis_format())
        ax.set_xlabel(unit)
        top = max([*(v for v in values if v is not None), upper or 0, 1])
        ax.set_xlim(0, top * 1.3)
        if median is not None:
            fig.legend(loc="outside lower center", ncols=2, fontsize=8)
        ax.set_title(title, loc="left")
        return _svg(fig, title)
