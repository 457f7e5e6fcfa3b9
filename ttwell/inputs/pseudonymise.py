"""Pseudonymise staff identifiers before the data reach an analyst (domain spec 4.2, rule 11).

Each identifier is replaced by the first 16 hexadecimal characters of HMAC-SHA256(key, identifier). The key is a
random secret of 32 bytes or more, held by someone other than the analyst: without it a pseudonym cannot be
turned back into a staff number, and with the same key the same identifier always gets the same pseudonym, in
every file and every month, so linked analyses still work.

Files are read as CSV or XLSX and written with the same names and formats into an output folder that holds no
input. Only the identifier cells change. Nothing is written until every file has been read and checked, the key
and the original identifiers are never written or printed, and a file in which an original identifier survives
in another column (an assignment number that contains the staff number, say) is refused.

Example
-------
>>> from ttwell.inputs.pseudonymise import pseudonym
>>> pseudonym(b"k" * 32, "10000001")
'9a3e6a3a5d7f1f4c'                                       # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ttwell.errors import ParameterError

KEY_BYTES = 32
PSEUDONYM_LENGTH = 16
DEFAULT_COLUMNS = ("staff_pid", "participant_pid", "respondent_pid")
HOW_TO_MAKE_A_KEY = ("Make a key once with  ttwell pseudonymise --new-key KEYFILE  (a random 32-byte key readable by "
                     "you only), keep it away from the analysts and the data, and use the same key every month.")
# A surviving identifier shorter than this inside a longer cell is not looked for (too many false alarms).
MIN_ID_IN_TEXT = 6
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)



def new_key(path: str | Path) -> Path:
    """Write a random 32-byte key (64 hex characters) readable by its owner only; refuse to overwrite a file.

    Raises
    ------
    ParameterError
        When ``path`` already exists (a key in use must never be replaced by accident).
    """
    path = Path(path)
    if path.exists():
        raise ParameterError(f"{path} already exists: ttwell never overwrites a key (pseudonyms made with it would "
                             "no longer match). Choose another file name, or delete the old key on purpose.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path


def read_key(path: str | Path | None) -> bytes:
    """The key in ``path``: 64+ hex characters (as :func:`new_key` writes) or 32+ raw bytes.

    Raises
    ------
    ParameterError
        No key file given, not found, or shorter than 32 bytes; the message says how to make one.
    """
    if path is None:
        raise ParameterError(f"No key given: pass --key-file KEYFILE. {HOW_TO_MAKE_A_KEY}")
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Key file not found: {path}. {HOW_TO_MAKE_A_KEY}")
    data = path.read_bytes().strip()
    text = data.decode("ascii", errors="replace")
    key = bytes.fromhex(text) if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", text) else data
    if len(key) < KEY_BYTES:
        raise ParameterError(f"The key in {path.name} is {len(key)} bytes; a key must be at least {KEY_BYTES} "
                             f"bytes. {HOW_TO_MAKE_A_KEY}")
    return key


def _id_text(value) -> str:
    """An identifier cell as text: 10000001, 10000001.0 (Excel) and ' 10000001 ' are the same id."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def pseudonym(key: bytes, identifier) -> str:
    """HMAC-SHA256(key, identifier) as 16 hexadecimal characters; blank stays blank."""
    text = _id_text(identifier)
    if not text:
        return ""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def _normalise(name) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).replace("\ufeff", "").strip().lower()).strip("_")


@dataclass
class _Prepared:
    source: Path
    target: Path
    data: bytes
    replaced: dict[str, int] = field(default_factory=dict)


def _id_columns(header: list, wanted: list[str]) -> list[int]:
    names = {_normalise(w) for w in wanted}
    return [i for i, h in enumerate(header) if h is not None and (str(h).strip() in wanted or _normalise(h) in names)]


def _survivors(rows: list[list], skip: set[int], ids: set[str], header: list) -> dict[str, int]:
    """Columns (other than the replaced ones) holding an original id, with how many rows: never the id itself."""
    long_ids = sorted((i for i in ids if len(i) >= MIN_ID_IN_TEXT), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(i) for i in long_ids)) if long_ids else None
    found: dict[str, int] = {}
    for row in rows:
        for j, cell in enumerate(row):
            if j in skip:
                continue
            text = _id_text(cell)
            if text and (text in ids or (pattern and pattern.search(text))):
                name = str(header[j]) if j < len(header) else f"column {j + 1}"
                found[name] = found.get(name, 0) + 1
    return found


def _prepare_csv(path: Path, key: bytes, wanted: list[str]) -> tuple[bytes, dict[str, int], dict[str, int]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    bom = raw.startswith(b"\xef\xbb\xbf")
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return raw, {}, {}
    header, body = rows[0], rows[1:]
    columns = _id_columns(header, wanted)
    ids = {_id_text(r[j]) for r in body for j in columns if j < len(r) and _id_text(r[j])}
    replaced = {str(header[j]).strip(): sum(1 for r in body if j < len(r) and _id_text(r[j])) for j in columns}
    for r in body:
        for j in columns:
            if j < len(r):
                r[j] = pseudonym(key, r[j])
    survivors = _survivors(body, set(columns), ids, header)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=newline).writerows([header] + body)
    encoded = out.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + encoded, replaced, survivors


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx archive with fixed entry times and no 'modified' stamp, so the same input and key give
    byte-identical output."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return buffer.getvalue()


def _prepare_xlsx(path: Path, key: bytes, wanted: list[str]) -> tuple[bytes, dict[str, int], dict[str, int]]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    replaced: dict[str, int] = {}
    survivors: dict[str, int] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows())
        if not rows:
            continue
        header = [c.value for c in rows[0]]
        columns = _id_columns(header, wanted)
        ids = {_id_text(r[j].value) for r in rows[1:] for j in columns if _id_text(r[j].value)}
        for j in columns:
            name = f"{str(header[j]).strip()} (sheet {sheet.title})" if len(book.worksheets) > 1 else str(header[j]).strip()
            replaced[name] = sum(1 for r in rows[1:] if _id_text(r[j].value))
        for r in rows[1:]:
            for j in columns:
                if _id_text(r[j].value):
                    r[j].value = pseudonym(key, r[j].value)
        found = _survivors([[c.value for c in r] for r in rows[1:]], set(columns), ids, header)
        survivors.update(found)
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic_zip(buffer.getvalue()), replaced, survivors


def pseudonymise_files(files: list[str | Path], key_file: str | Path | None, out_dir: str | Path,
                       columns: list[str] | None = None) -> list[_Prepared]:
    """Write pseudonymised copies of ``files`` into ``out_dir``; return what was written (never an id).

    Parameters
    ----------
    files
        CSV or XLSX files.
    key_file
        The secret key (see :func:`new_key`).
    out_dir
        Output folder: created if needed; must not be the folder of any input.
    columns
        Headers of the identifier columns (matched as written, or after normalising case and spaces).
        Default: the templates' id columns ``staff_pid``, ``participant_pid``, ``respondent_pid``.

    Raises
    ------
    ParameterError
        No or short key; an input missing or of another format; the output folder holding an input; two inputs
        with the same name; a named column found in no file; an original id left in another column. Nothing
        is written when any of these is found.
    """
    key = read_key(key_file)
    wanted = list(columns) if columns else list(DEFAULT_COLUMNS)
    out = Path(out_dir).resolve()
    problems: list[str] = []
    sources = [Path(f) for f in files]
    if not sources:
        problems.append("no input files given")
    names: dict[str, Path] = {}
    for source in sources:
        if not source.is_file():
            problems.append(f"{source}: file not found")
            continue
        if source.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
            problems.append(f"{source.name}: only .csv and .xlsx files can be pseudonymised")
        if source.resolve().parent == out:
            problems.append(f"{source.name}: the output folder {out} is this input's folder; give another --out "
                            "(pseudonymised files never sit beside the originals)")
        if source.name in names:
            problems.append(f"two inputs are named {source.name}; their outputs would overwrite each other")
        names[source.name] = source
    if problems:
        raise ParameterError("Nothing was pseudonymised:\n- " + "\n- ".join(problems))
    prepared: list[_Prepared] = []
    found_columns: set[str] = set()
    for source in sources:
        target = out / source.name
        if target.exists() and target.resolve() in {s.resolve() for s in sources}:
            problems.append(f"{target}: would overwrite an input")
            continue
        try:
            prepare = _prepare_csv if source.suffix.lower() == ".csv" else _prepare_xlsx
            data, replaced, survivors = prepare(source, key, wanted)
        except Exception as exc:  # a damaged workbook or unreadable CSV: say which file
            problems.append(f"{source.name}: could not be read ({type(exc).__name__})")
            continue
        found_columns |= {_normalise(c.split(" (sheet ")[0]) for c in replaced}
        for column, n in survivors.items():
            problems.append(f"{source.name}: column '{column}' still holds original identifiers in {n} row(s); "
                            f"add it with --columns or remove it from the file")
        prepared.append(_Prepared(source, target, data, replaced))
    if columns:
        missing = [c for c in columns if _normalise(c) not in found_columns]
        if missing:
            problems.append(f"no input has a column named {', '.join(repr(c) for c in missing)}")
    if problems:
        raise ParameterError("Nothing was pseudonymised:\n- " + "\n- ".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    for item in prepared:
        temp = item.target.with_name(f".{item.target.name}.part")
        temp.write_bytes(item.data)
        os.replace(temp, item.target)
    return prepared
