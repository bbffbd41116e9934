#!/usr/bin/env python3
"""Every event and error variant of every Perspective pallet is asserted by at least one test.

Reads each pallet's `pub enum Event` and `pub enum Error` from `pallets/*/src/lib.rs`, then looks
for an assertion of each variant in test code:
  - Rust: `Event::<Variant>` / `Event::<T>::<Variant>` or `Error::<X>::<Variant>` in the pallet's test
    files (`tests.rs`, `*_tests.rs`, `tests/`), its benchmarks (their `verify` blocks run in the
    test suite) and the runtime's `tests.rs` files, where the enum is that pallet's (its crate name,
    `crate::`, `super::` or an unqualified `Event::` / `Error::` inside the pallet's own tests);
  - e2e (JavaScript): `<section>.<Variant>` as polkadot.js names it (`evaluation.BondIncreased`,
    `api.events.evaluation.BondIncreased`, `api.errors.evaluation.NotEvaluator`) or an event
    filter on `section === '<section>' && method === '<Variant>'`.
Prints the variants no test asserts and exits 1 if there are any.

    python3 scripts/check-coverage.py            # check
    python3 scripts/check-coverage.py --list     # also print where each variant is asserted
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def enum_variants(source: str, name: str) -> list[str]:
    """Variants of `pub enum <name>` (generic or not) in a pallet's lib.rs."""
    match = re.search(r"pub enum " + name + r"\b[^{]*\{", source)
    if not match:
        return []
    depth, i, body_start = 1, match.end(), match.end()
    while depth and i < len(source):
        depth += {"{": 1, "}": -1}.get(source[i], 0)
        i += 1
    body = source[body_start : i - 1]
    variants, depth = [], 0
    for line in body.split("\n"):
        stripped = line.strip()
        if depth == 0 and not stripped.startswith(("///", "//", "#[")):
            found = re.match(r"([A-Z][A-Za-z0-9_]*)\s*(?:[{(,]|$)", stripped)
            if found:
                variants.append(found.group(1))
        depth += line.count("{") + line.count("(") - line.count("}") - line.count(")")
    return variants


def section_of(crate_dir: pathlib.Path) -> tuple[str, str]:
    """(Rust crate name, polkadot.js section) of a pallet directory."""
    cargo = (crate_dir / "Cargo.toml").read_text()
    crate = re.search(r'^name\s*=\s*"([^"]+)"', cargo, re.M).group(1).replace("-", "_")
    base = crate.removeprefix("pallet_")
    parts = base.split("_")
    return crate, parts[0] + "".join(p.title() for p in parts[1:])


def alias_match(text: str, kind: str, variant: str) -> bool:
    """`type E = Error<Test>;` (or `crate::Error<Test>`, `use ..::Error as E`) then `E::<Variant>`."""
    aliases = re.findall(r"\btype (\w+) = (?:crate::|super::)?" + kind + r"<[^>]*>;", text)
    aliases += re.findall(r"\b" + kind + r" as (\w+)\b", text)
    return any(re.search(r"\b" + alias + r"::" + variant + r"\b", text) for alias in aliases)


def test_files(crate_dir: pathlib.Path) -> list[pathlib.Path]:
    src = crate_dir / "src"
    files = [p for p in src.rglob("*.rs") if p.name == "tests.rs" or p.name.endswith("_tests.rs") or p.name == "benchmarking.rs"]
    files += list((crate_dir / "tests").rglob("*.rs")) if (crate_dir / "tests").is_dir() else []
    return files


def main() -> int:
    runtime_tests = [p for p in (ROOT / "runtime" / "src").rglob("*.rs") if p.name == "tests.rs" or p.name.endswith("_tests.rs")]
    e2e = {p: p.read_text() for p in (ROOT / "e2e" / "tests").glob("*.js")}
    missing, report, pallets = [], [], 0
    for crate_dir in sorted((ROOT / "pallets").iterdir()):
        lib = crate_dir / "src" / "lib.rs"
        if not lib.exists():
            continue
        source = lib.read_text()
        crate, section = section_of(crate_dir)
        own = {p: p.read_text() for p in test_files(crate_dir)}
        pallets += 1 if enum_variants(source, "Event") or enum_variants(source, "Error") else 0
        runtime = {p: p.read_text() for p in runtime_tests}
        for kind in ("Event", "Error"):
            for variant in enum_variants(source, kind):
                generic = r"(?:::<[^>]+>)?"
                # In the pallet's own tests any path ending in the pallet's enum counts; in the
                # runtime's tests the path must name this pallet's crate.
                own_rx = re.compile(r"\b" + kind + generic + r"::" + variant + r"\b")
                runtime_rx = re.compile(r"\b" + crate + r"::(?:pallet::)?" + kind + generic + r"::" + variant + r"\b")
                js_rx = re.compile(
                    r"\b" + section + r"\." + variant + r"\b"
                    + r"|section\s*===?\s*'" + section + r"'\s*&&\s*\w+(?:\.\w+)*\s*===?\s*'" + variant + r"'"
                )
                where = [p for p, text in own.items() if own_rx.search(text) or alias_match(text, kind, variant)]
                where += [p for p, text in runtime.items() if runtime_rx.search(text)]
                where += [p for p, text in e2e.items() if js_rx.search(text)]
                name = f"{crate}::{kind}::{variant}"
                if where:
                    report.append(f"{name}: " + ", ".join(sorted({str(p.relative_to(ROOT)) for p in where})))
                else:
                    missing.append(name)
    if "--list" in sys.argv:
        try:
            print("\n".join(report))
        except BrokenPipeError:
            return 0
    total = len(report) + len(missing)
    if missing:
        print(f"{len(missing)} of {total} event and error variants are asserted by no test:")
        print("\n".join(f"  {m}" for m in missing))
        return 1
    print(f"all {total} event and error variants of {pallets} pallets are asserted by a test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
