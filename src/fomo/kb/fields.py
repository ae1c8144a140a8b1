"""Findings, and the judges of raw front-matter values by their schema type.

`fomo check` and the edit layer judge files as written: a wrong type, a number out of range, a
month that is no month, an unknown key with its likely spelling. Each judge reports a `Finding`
with the file, the line, what is wrong and how to fix it."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fomo.kb.schema import EARLIEST_YEAR, INT_LIMIT, Field, is_date, is_int, is_month
from fomo.kb.urls import is_web_url


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    line: int
    message: str
    hint: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.code}] {self.message}\n  hint: {self.hint}"


class Report:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self._texts: dict[str, list[str]] = {}

    def add(self, code: str, file: str, line: int, message: str, hint: str) -> None:
        self.findings.append(Finding(code, file, line, message, hint))

    def line_of(self, file: str, needle: str, after: int = 1) -> int:
        """The first line at or after `after` that mentions `needle` (for nested values)."""
        if file not in self._texts:
            try:
                self._texts[file] = (self.root / file).read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self._texts[file] = []
        for number, line in enumerate(self._texts[file][after - 1 :], start=after):
            if needle in line:
                return number
        return after


def check_keys(
    report: Report, path: str, meta: dict[str, Any], lines: dict[str, int], allowed: Iterable[str]
) -> None:
    allowed = tuple(allowed)
    for key in meta:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
        report.add("unknown-key", path, lines.get(key, 1), f"unknown key '{key}'", hint)


def check_url(report: Report, path: str, line: int, url: Any, what: str) -> None:
    if not is_web_url(url):
        report.add(
            "bad-url",
            path,
            line,
            f"{what} URL {url!r} is not an http(s) address",
            "use a full https:// address; javascript:, data: and file: links are refused",
        )


def _where(spec: Field, what: str) -> str:
    return f"{what} {spec.name!r}" if what else f"{spec.name!r}"


def _check_text(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if spec.required and (not isinstance(value, str) or not value.strip()):
        report.add(
            f"missing-{spec.name}",
            path,
            at,
            f"'{spec.name}' is missing or empty",
            f"add '{spec.name}: ...' to the front matter"
            + (" (one sentence: what it is and why it exists)" if spec.name == "essence" else ""),
        )
    elif value is not None and not isinstance(value, str):
        report.add(
            "bad-type",
            path,
            at,
            f"{_where(spec, what)} must be text, not {type(value).__name__}",
            f'write {spec.name}: "..." (quote it if it looks like a number or a date)',
        )


def _check_names(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is not None and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        report.add(
            "bad-type",
            path,
            at,
            f"{_where(spec, what)} must be a list of names",
            f"write {spec.name}: [first, second]",
        )


def _check_int(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is None:
        return
    if not is_int(value):
        report.add(
            "bad-type",
            path,
            at,
            f"{_where(spec, what)} must be a whole number",
            f"write {spec.name}: 3",
        )
    elif abs(value) > INT_LIMIT:
        report.add(
            "bad-number",
            path,
            at,
            f"{_where(spec, what)} is out of range: {value}",
            f"use a whole number between -{INT_LIMIT:_} and {INT_LIMIT:_}".replace("_", ","),
        )


def _check_year(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is not None and not is_int(value):
        report.add(
            "bad-year",
            path,
            at,
            f"year {value!r} is not plausible",
            f"use a four-digit year from {EARLIEST_YEAR} on, or leave it out",
        )


def _check_month(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is not None and not (isinstance(value, str) and is_month(value)):
        report.add(
            "bad-month",
            path,
            at,
            f"{spec.name} {value!r} is not a month",
            f"write {spec.name}: YYYY-MM (a month, e.g. {spec.name}: 2026-03), or leave it out",
        )


def _check_date(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is not None and not is_date(value):
        report.add(
            "bad-date",
            path,
            at,
            f"{_where(spec, what)} is not a date: {value!r}",
            f"write {spec.name}: YYYY-MM-DD, e.g. {spec.name}: {dt.date.today().isoformat()}",
        )


def _check_choice(report: Report, path: str, at: int, spec: Field, value: Any, what: str) -> None:
    if value is not None and value not in spec.allowed:
        report.add(
            "bad-status" if spec.name == "status" else "bad-value",
            path,
            at,
            f"{what + ' ' if what else ''}{spec.name} {value!r} is unknown",
            "use one of: " + ", ".join(spec.allowed),
        )


def _check_url_field(
    report: Report, path: str, at: int, spec: Field, value: Any, what: str
) -> None:
    if value is not None:
        check_url(report, path, at, value, spec.name)


# Judges of a raw value by schema type; paper, references and parts have their own below.
CHECKS = {
    "text": _check_text,
    "names": _check_names,
    "ids": _check_names,
    "int": _check_int,
    "year": _check_year,
    "month": _check_month,
    "date": _check_date,
    "choice": _check_choice,
    "url": _check_url_field,
}


def check_released(
    report: Report, path: str, meta: dict[str, Any], at: int, this_year: int
) -> None:
    """`released: YYYY-MM` (its form is judged with the other fields): plausible, and in `year`."""
    released = meta.get("released")
    if not isinstance(released, str) or not is_month(released):
        return
    released_year = int(released[:4])
    year = meta.get("year")
    if not EARLIEST_YEAR <= released_year <= this_year + 1:
        report.add(
            "bad-month",
            path,
            at,
            f"released {released!r} is not plausible",
            f"write released: YYYY-MM between {EARLIEST_YEAR} and {this_year + 1}, or leave it out",
        )
    elif isinstance(year, int) and not isinstance(year, bool) and year != released_year:
        report.add(
            "released-year-mismatch",
            path,
            at,
            f"released {released} is not in year {year}",
            f"make them agree: year: {released_year}, or released: {year}-MM",
        )


def check_fields(
    report: Report,
    path: str,
    fields: tuple[Field, ...],
    values: dict[str, Any],
    at: Any,
    what: str,
) -> None:
    """Every simple field of `values` judged by its schema type; `at(key)` gives its line."""
    for spec in fields:
        if spec.type in CHECKS and (spec.name in values or spec.required):
            CHECKS[spec.type](report, path, at(spec.name), spec, values.get(spec.name), what)
