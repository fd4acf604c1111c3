"""Import speed: `sekretariat import` of 1,000 generated agendas and minutes into fresh SQLite.

Writes N varied Danish meeting documents (agendas, and minutes of many of the same meetings, so
that a part of the run updates meetings it created itself) into a temporary folder, migrates a
fresh SQLite database in a temporary SEKRETARIAT_DATA_DIR, and times the console script on the
folder. Prints documents per second and the total.

    .venv/bin/python bench/import.py [--documents 1000] [--seed 7] [--profile]

--profile runs the same import in-process under cProfile instead and prints where time goes.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".venv" / "bin" / "sekretariat"

BODIES = [
    ("KKR Midtvest", "KKR Midtvest"),
    ("Kommunaldirektørkredsen", "KKR Midtvest"),
    ("Sundhedsdirektørkredsen", "KKR Midtvest"),
    ("Socialdirektørforum", "KKR Midtvest"),
    ("Styregruppen for Sundhedsklynge Åkjær", "Region Midtvest"),
    ("Forretningsudvalget", "Fjordby Kommune"),
    ("Direktionen", "Lyngsø Kommune"),
    ("Arbejdsgruppen om Akutpladser", "Region Midtvest"),
    ("Ældrerådet", "Bakkedal Kommune"),
    ("Handicaprådet", "Bakkedal Kommune"),
    ("Børne- og Ungeudvalget", "Fjordby Kommune"),
    ("Taskforce for Rekruttering", "KKR Midtvest"),
]
FIRST = [
    "Anne",
    "Bent",
    "Carina",
    "Dorthe",
    "Erik",
    "Frida",
    "Gustav",
    "Hanne",
    "Ib",
    "Jonna",
    "Kasper",
    "Lone",
    "Mads",
    "Nanna",
    "Ole",
    "Pia",
    "Rasmus",
    "Sanne",
    "Torben",
    "Ulla",
]
LAST = [
    "Holm",
    "Bech",
    "Krog",
    "Lund",
    "Vestergaard",
    "Bjerre",
    "Dam",
    "Skov",
    "Friis",
    "Mølgaard",
    "Thorsen",
    "Winther",
    "Kjær",
    "Bruun",
    "Husted",
]
TOPICS = [
    "fælles indkøb af hjælpemidler",
    "akutpladser i kommunerne",
    "rekruttering af sygeplejersker",
    "den regionale praksisplan",
    "IV-behandling i eget hjem",
    "udskrivning af ældre borgere",
    "sundhedsklyngens årshjul",
    "budget for sekretariatet",
    "digital genoptræning",
    "kapacitet på botilbud",
    "tværkommunal takstaftale",
    "børn og unges mentale trivsel",
    "forebyggende hjemmebesøg",
    "data om genindlæggelser",
    "fælles vikarbureau",
]
OPENERS = ["Godkendelse af", "Drøftelse af", "Orientering om", "Status på", "Beslutning om"]
SENTENCES = [
    "Sekretariatet har samlet erfaringerne fra kommunerne i et kort notat.",
    "Der er enighed om at fortsætte arbejdet i den nuværende form frem til sommer.",
    "Økonomien holder sig inden for den ramme, som blev aftalt sidste år.",
    "Arbejdsgruppen peger på tre forslag, der kan gennemføres uden nye midler.",
    "Kommunerne har forskellige behov, og løsningen skal kunne tilpasses lokalt.",
    "Et udkast til aftale sendes i høring hos kommunerne inden næste møde.",
    "Tallene for første kvartal viser en svag stigning i antallet af forløb.",
    "Regionen har tilbudt at stille data til rådighed for en fælles opgørelse.",
    "Der lægges op til en evaluering efter to år med en midtvejsstatus.",
    "Forslaget har været drøftet i netværket af fagchefer med positive tilbagemeldinger.",
]
MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]


def _para(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(SENTENCES, n))


def _people(rng: random.Random, n: int) -> list[str]:
    return [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(n)]


def document(rng: random.Random, meeting: dict, minutes: bool) -> str:
    body, org, day, start = meeting["body"], meeting["org"], meeting["day"], meeting["start"]
    end = start + rng.choice([1, 2, 3])
    lines = [
        "Referat" if minutes else "Dagsorden",
        "",
        f"{body}" + (f" i {org}" if "Kommune" in org else ""),
        f"{WEEKDAYS[day.weekday()]} den {day.day}. {MONTHS[day.month - 1]} {day.year} "
        f"kl. {start:02d}.00-{end:02d}.00",
        rng.choice(["Mødelokale 2, Rådhuset", "Regionshuset, lokale Fjorden", "Virtuelt møde"]),
        "",
        "Deltagere: " + ", ".join(meeting["participants"]),
        "Afbud: " + ", ".join(meeting["absent"]),
        "",
    ]
    for number, (title, closed) in enumerate(meeting["items"], start=1):
        lines.append(f"Punkt {number}: {'Lukket: ' if closed else ''}{title}")
        if number > 1:
            lines += [
                "Resumé",
                _para(rng, 2),
                "Indstilling",
                "at forummet godkender indstillingen.",
            ]
            lines += ["Sagsfremstilling", _para(rng, 3), _para(rng, 2)]
            if rng.random() < 0.4:
                lines.append(f"Bilag 1: Notat om {rng.choice(TOPICS)}")
        if minutes:
            lines += [
                "Beslutning:",
                rng.choice(
                    ["Godkendt.", "Taget til efterretning.", "Drøftet; sagen vender tilbage."]
                ),
            ]
        lines.append("")
    return "\n".join(lines)


def generate(folder: Path, count: int, seed: int) -> None:
    """`count` documents: agendas of count*0.6 meetings, minutes of two thirds of them."""
    rng = random.Random(seed)
    written, n = 0, 0
    meetings = []
    while len(meetings) * 5 // 3 < count + 5:
        body, org = rng.choice(BODIES)
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(8 * 365))
        items = [("Godkendelse af dagsorden", False)]
        for _ in range(rng.randrange(3, 11)):
            items.append((f"{rng.choice(OPENERS)} {rng.choice(TOPICS)}", rng.random() < 0.08))
        items.append(("Eventuelt", False))
        meetings.append(
            {
                "body": body,
                "org": org,
                "day": day,
                "start": rng.choice([9, 10, 13, 14]),
                "participants": _people(rng, rng.randrange(3, 9)),
                "absent": _people(rng, 1),
                "items": items,
            }
        )
    for meeting in meetings:
        for minutes in (False, True):
            if written >= count or (minutes and rng.random() < 1 / 3):
                continue
            n += 1
            kind = "referat" if minutes else "dagsorden"
            name = f"{meeting['day']:%Y}/{kind}-{meeting['day']}-{n:04d}.txt"
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(document(rng, meeting, minutes), encoding="utf-8")
            written += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sekretariat-bench-import-"))
    try:
        docs, data = work / "docs", work / "data"
        docs.mkdir()
        data.mkdir()
        generate(docs, args.documents, args.seed)
        env = {**os.environ, "SEKRETARIAT_DATA_DIR": str(data)}
        env.pop("DATABASE_URL", None)
        subprocess.run([str(SCRIPT), "migrate", "-v0"], env=env, check=True)
        if args.profile:
            profile(docs, env)
            return
        started = time.perf_counter()
        done = subprocess.run(
            [str(SCRIPT), "import", "--create-bodies", str(docs)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        print(summary)
        if done.returncode:
            print(done.stderr[-2000:], file=sys.stderr)
        print(
            f"{args.documents} documents in {elapsed:.1f} s: "
            f"{args.documents / elapsed:.1f} documents/s (exit code {done.returncode})"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile(docs: Path, env: dict) -> None:
    """The same import in-process under cProfile: the 25 most expensive functions (cumulative)."""
    import cProfile
    import pstats

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sekretariat.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from sekretariat.ingest.batch import import_run

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    summary = import_run([docs], create_bodies=True)
    profiler.disable()
    print(f"{len(summary.results)} files in {time.perf_counter() - started:.1f} s (profiled)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
