"""Build src/ccm/registry/data/states.csv: every UN Member State and the four other States
that matter to the Convention (Holy See, State of Palestine, Cook Islands, Niue).

Run once when the sources change (`pip install -e .[data]`), review the diff, commit the CSV:
the running system never needs pandas or network access.

Sources, in order of preference for each column:
- English name: the Convention's membership table (UN depositary style), else the UN scale of
  assessments (UN Secretariat style), both in shared/data; else ISO 3166 (pycountry).
- French, Spanish, Arabic, Russian, Chinese names: ISO 3166 translations shipped by pycountry
  (Debian iso-codes), "Name, qualifier" turned into the UN style "Name (qualifier)".
- UN M49 code, region and sub-region, UN membership: country_converter's country table.
"""

from __future__ import annotations

import csv
import gettext
import sys
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/ccm/registry/data/states.csv"
MEMBERSHIP = ROOT / "src/ccm/registry/data/ccm_membership.csv"
SHARED = ROOT.parent / "shared/data"

OBSERVERS = {"VAT", "PSE"}  # UN non-member observer States
NON_MEMBERS = {"COK", "NIU"}  # States, not UN members
REGIONS = {"America": "Americas"}  # country_converter's continent label -> M49 region name
LANGS = {"fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh": "zh_CN"}


def un_style(name: str) -> str:
    if ", " in name and "(" not in name:
        head, tail = name.split(", ", 1)
        return f"{head} ({tail[0].upper()}{tail[1:]})"
    return name


def main() -> int:
    table = files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(table.splitlines(), delimiter="\t"))
    english: dict[str, str] = {}
    scale = SHARED / "un_scale_of_assessments.csv"
    if scale.exists():
        for r in csv.DictReader(scale.open(encoding="utf-8")):
            english[r["iso3"]] = r["state"]  # later periods overwrite earlier names
    for r in csv.DictReader(MEMBERSHIP.open(encoding="utf-8")):
        english[r["iso3"]] = r["state"]
    translations = {
        code: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[loc])
        for code, loc in LANGS.items()
    }
    out = []
    for r in rows:
        iso3 = r["ISO3"]
        if not (r["UNmember"] or iso3 in OBSERVERS | NON_MEMBERS) or r["obsolete"]:
            continue
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise SystemExit(f"{iso3}: not in ISO 3166")
        iso_name = country.name
        standing = "member" if r["UNmember"] else "observer" if iso3 in OBSERVERS else "non_member"
        row = {
            "iso3": iso3,
            "iso2": country.alpha_2,
            "m49": int(r["UNcode"]),
            "un_standing": standing,
            "region": REGIONS.get(r["continent"], r["continent"]),
            "subregion": r["UNregion"],
            "name_en": english.get(iso3) or getattr(country, "common_name", iso_name),
        }
        for code, t in translations.items():
            row[f"name_{code}"] = un_style(t.gettext(iso_name))
        row["source"] = (
            "names: CCM membership table / UN scale of assessments (English), ISO 3166 via "
            f"pycountry {version('pycountry')} (other languages); M49 and regions: "
            f"country_converter {version('country_converter')}"
        )
        out.append(row)
    out.sort(key=lambda x: x["iso3"])
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    counts = {
        s: sum(1 for x in out if x["un_standing"] == s)
        for s in ("member", "observer", "non_member")
    }
    print(f"wrote {len(out)} States to {OUT.relative_to(ROOT)}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
