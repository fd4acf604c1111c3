"""Generated output of a settlement run and of the monitoring report: a municipality's statement
as PDF (WeasyPrint) and XLSX (openpyxl), the run's lines as CSV (the columns of
``sekretariat iv settle``), and the report as PDF. Figures come from selectors; nothing is priced
here.
"""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML

from sekretariat.agreements.csvio import OUTPUT_COLUMNS

from . import engine, selectors
from .models import SettlementRun, SettlementStatement
from .reports import MonitoringReport

_MONEY = "#,##0.00"

# The course sheet's headers, in the order of ``sekretariat iv settle``'s CSV columns (whose
# English names stay in the CSV, a file for programs) followed by the first day and the place.
XLSX_LINE_COLUMNS = (
    "Forløb",
    "Kommune",
    "Type",
    "Dage",
    "Nr. i året",
    "Trin",
    "Forløbstakst (kr.)",
    "Ekstra dage",
    "Dagstakst (kr.)",
    "Beløb (kr.)",
    "Første dag",
    "Sted",
)
assert len(XLSX_LINE_COLUMNS) == len(OUTPUT_COLUMNS) + 2


def statement_file_name(statement: SettlementStatement, extension: str) -> str:
    code = statement.municipality.code or statement.municipality.pk
    return f"iv-afregning-{statement.run.year}-{code}-koersel-{statement.run_id}.{extension}"


def _statement_context(statement: SettlementStatement) -> dict:
    run = statement.run
    labels = engine.type_labels(run.agreement_id)
    summary = selectors.statement_summary(statement=statement)
    for row in summary:
        row["label"] = labels.get(row["treatment_type"], row["treatment_type"])
    lines = list(selectors.statement_lines(statement=statement))
    return {
        "run": run,
        "statement": statement,
        "summary": summary,
        "lines": lines,
        "lines_text": _lines_text(lines, labels),
        "type_labels": labels,
        "generated_at": timezone.localtime(),
    }


def _lines_text(lines, labels: dict[str, str]) -> str:
    """The statement's annex of courses as fixed-width text: WeasyPrint lays out a thousand
    lines of text in a fraction of the time a thousand table rows take."""
    header = (
        f"{'Reference':<16}{'Type':<19}{'Første dag':<12}{'Dage':>5}{'Nr. i året':>12}"
        f"{'Trin':>6}{'Ekstra dage':>13}{'Beløb (kr.)':>15}"
    )
    rows = [header, "-" * len(header)]
    for line in lines:
        rows.append(
            f"{line.course_reference:<16}{labels.get(line.treatment_type, line.treatment_type):<19}"
            f"{line.start_date:%d.%m.%Y}  {line.days:>5}{_dk(line.ordinal):>12}{line.step:>6}"
            f"{line.extra_days:>13}{_dk(line.amount_dkk, 2):>15}"
        )
    return "\n".join(rows)


def _dk(number, decimals: int = 0) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def statement_pdf(statement: SettlementStatement, *, base_url: str = "") -> bytes:
    html = render_to_string("settlements/pdf/statement.html", _statement_context(statement))
    return HTML(string=html, base_url=base_url or None).write_pdf()


def statement_xlsx(statement: SettlementStatement) -> bytes:
    """Two sheets: 'Opgørelse' (per type and step, and the total) and 'Forløb' (one row per
    course, amounts as numbers so the sheet's own SUM equals the total)."""
    context = _statement_context(statement)
    labels = context["type_labels"]
    run = statement.run
    book = Workbook()
    sheet = book.active
    sheet.title = "Opgørelse"
    bold = Font(bold=True)
    sheet.append([f"IV-afregning {run.year}: {statement.municipality.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in (
        ("Region", run.region.name),
        ("Aftale", engine.agreement(run.agreement_id).title),
        ("Motorversion", run.engine_version),
        ("Prisfaktor", float(run.price_factor)),
        ("Kørsel", f"nr. {run.pk}, {timezone.localtime(run.created_at):%d.%m.%Y %H.%M}"),
    ):
        sheet.append([label, value])
    sheet.append([])
    header = [
        "Type",
        "Trin",
        "Forløb",
        "Dage",
        "Ekstra dage",
        "Forløbstakst",
        "Dagstakst",
        "Beløb (kr.)",
    ]
    sheet.append(header)
    first_summary_row = sheet.max_row + 1
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in context["summary"]:
        sheet.append(
            [
                row["label"],
                row["step"],
                row["courses"],
                row["days"],
                row["extra_days"],
                row["course_tariff_dkk"],
                row["day_tariff_dkk"],
                row["amount_dkk"],
            ]
        )
    sheet.append(
        ["I alt", None, statement.course_count, None, None, None, None, statement.amount_dkk]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    _money_columns(sheet, (6, 7, 8), first_row=first_summary_row)
    _widths(sheet, (26, 8, 10, 8, 12, 14, 12, 16))

    lines = book.create_sheet("Forløb")
    lines.append(list(XLSX_LINE_COLUMNS))
    for cell in lines[1]:
        cell.font = bold
    for line in context["lines"]:
        lines.append(
            [
                line.course_reference,
                statement.municipality.name,
                labels.get(line.treatment_type, line.treatment_type),
                line.days,
                line.ordinal,
                line.step,
                line.course_tariff_dkk,
                line.extra_days,
                line.day_tariff_dkk,
                line.amount_dkk,
                line.start_date,
                line.get_setting_display(),
            ]
        )
        lines.cell(row=lines.max_row, column=11).number_format = "yyyy-mm-dd"
    last = lines.max_row
    lines.append(["I alt", None, None, None, None, None, None, None, None, f"=SUM(J2:J{last})"])
    lines.cell(row=lines.max_row, column=1).font = bold
    _money_columns(lines, (7, 9, 10), first_row=2)
    _widths(lines, (16, 20, 12, 6, 8, 6, 16, 10, 14, 14, 12, 9))
    lines.freeze_panes = "A2"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _money_columns(sheet, columns, *, first_row: int) -> None:
    for column in columns:
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
            if isinstance(cell.value, Decimal | int | float) or str(cell.value).startswith("="):
                cell.number_format = _MONEY
                cell.alignment = Alignment(horizontal="right")


def _widths(sheet, widths) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def run_lines_csv(run: SettlementRun, stream) -> None:
    """The run's lines in ordinal order, in exactly the columns and number format of
    ``sekretariat iv settle`` (amounts with two decimals and '.', no thousands separator)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for line in selectors.run_lines(run=run).iterator(chunk_size=2000):
        writer.writerow(
            (
                line.course_reference,
                line.municipality.name,
                line.treatment_type,
                line.days,
                line.ordinal,
                line.step,
                f"{line.course_tariff_dkk:.2f}",
                line.extra_days,
                f"{line.day_tariff_dkk:.2f}",
                f"{line.amount_dkk:.2f}",
            )
        )


def run_file_name(run: SettlementRun) -> str:
    return f"iv-afregning-{run.year}-koersel-{run.pk}-forloeb.csv"


def report_pdf(report: MonitoringReport, *, base_url: str = "") -> bytes:
    html = render_to_string(
        "settlements/pdf/report.html", {"report": report, "generated_at": timezone.localtime()}
    )
    return HTML(string=html, base_url=base_url or None).write_pdf()


def report_file_name(report: MonitoringReport) -> str:
    return f"iv-monitorering-{report.year}-k{report.quarter}.pdf"
