"""Build src/cvlens/analysis/data/skills.json from three sources.

1. scripts/taxonomy/core.txt — hand-written core (categories, aliases, parents, relations).
2. npm `linguist-languages@9.5.0` (MIT, GitHub Linguist data) — programming and markup
   languages with their aliases and groups.
3. npm `devicon@2.17.0` (MIT) — developer tools with alternative names and tags.

Names that are everyday English words are handled with `wordfreq==3.1.1` (Apache-2.0 code,
CC-BY-SA data; used only here, at build time): derived skills whose name is among the
10,000 most frequent English words are dropped (`Text`, `Red`, `Self`), and any name or alias
among the 30,000 most frequent, or of at most two letters, only matches with its exact case.

Run (needs node/npm and a Python with wordfreq):
    python scripts/taxonomy/build_skills.py            # npm-packs the two packages itself
    python scripts/taxonomy/build_skills.py --npm-dir DIR  # DIR holds the unpacked tarballs
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import wordfreq

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "src" / "cvlens" / "analysis" / "data" / "skills.json"
LINGUIST = "linguist-languages@9.5.0"
DEVICON = "devicon@2.17.0"
MAX_RELATED = 40

COMMON_DROP = set(wordfreq.top_n_list("en", 10_000))
COMMON_CASE = set(wordfreq.top_n_list("en", 30_000))
# Brands and things in devicon that are not skills a résumé would claim.
DEVICON_SKIP = {
    "apple", "google", "facebook", "twitter", "linkedin", "ie10", "windows8", "windows11",
    "chrome", "firefox", "safari", "opera", "devicon", "codepen", "stackoverflow", "reddit",
    "youtube", "twitch", "discord", "dropbox", "behance", "dribbble", "medium", "hackernews",
    "gitter", "producthunt", "thealgorithms", "codecov", "uwsgi", "devto",
}  # fmt: skip
DEVICON_DISPLAY = {
    "androidstudio": "Android Studio", "visualstudio": "Visual Studio", "vscode": "VS Code",
    "intellij": "IntelliJ IDEA", "npm": "npm", "ssh": "SSH", "gcc": "GCC", "xml": "XML",
    "yaml": "YAML", "json": "JSON", "pycharm": "PyCharm", "webstorm": "WebStorm",
    "phpstorm": "PhpStorm", "xcode": "Xcode", "clion": "CLion", "datagrip": "DataGrip",
    "rstudio": "RStudio", "googlecolab": "Google Colab", "sonarqube": "SonarQube",
    "socketio": "Socket.IO", "chartjs": "Chart.js", "apollographql": "Apollo GraphQL",
    "archlinux": "Arch Linux", "linuxmint": "Linux Mint", "opensuse": "openSUSE",
    "rockylinux": "Rocky Linux", "almalinux": "AlmaLinux", "cakephp": "CakePHP",
    "duckdb": "DuckDB", "eslint": "ESLint", "githubcodespaces": "GitHub Codespaces",
    "gitkraken": "GitKraken", "hyperv": "Hyper-V", "reactrouter": "React Router",
    "reactbootstrap": "React Bootstrap", "reactnavigation": "React Navigation",
    "rocksdb": "RocksDB", "surrealdb": "SurrealDB", "yugabytedb": "YugabyteDB",
    "typo3": "TYPO3", "vsphere": "vSphere", "trpc": "tRPC", "pnpm": "pnpm", "qt": "Qt",
    "threedsmax": "3ds Max", "unifiedmodelinglanguage": "UML", "nodered": "Node-RED",
    "antdesign": "Ant Design", "angularmaterial": "Angular Material", "dbeaver": "DBeaver",
    "faunadb": "FaunaDB", "k3s": "k3s", "v8": "V8", "p5js": "p5.js", "pixijs": "PixiJS",
    "babylonjs": "Babylon.js", "lodash": "Lodash", "rspec": "RSpec", "nhibernate": "NHibernate",
    "sqldeveloper": "SQL Developer", "stenciljs": "Stencil", "framermotion": "Framer Motion",
}  # fmt: skip
DEVICON_CATEGORY = [
    ("database", "Databases"), ("testing", "Testing"), ("ide", "Editors and IDEs"),
    ("editor", "Editors and IDEs"), ("cloud", "Cloud platforms"), ("os", "Operating systems"),
    ("game-engine", "Game development"), ("machine-learning", "Machine learning libraries"),
    ("cms", "CMS and e-commerce"), ("monitoring", "Observability"), ("design", "Design tools"),
    ("version-control", "Version control"), ("mobile", "Mobile development"),
    ("blockchain", "Blockchain"), ("security", "Security"), ("framework", "Frameworks"),
    ("library", "Libraries"), ("language", "Programming languages"),
    ("programming", "Programming languages"), ("tool", "Developer tools"),
]  # fmt: skip


def norm(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Skill:
    name: str
    category: str
    source: str
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    related: set[str] = field(default_factory=set)
    case_sensitive: bool = False
    exact_forms: list[str] = field(default_factory=list)
    core_forms: list[str] = field(default_factory=list)

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


def parse_core(path: Path) -> tuple[list[Skill], dict[str, list[str]]]:
    skills: list[Skill] = []
    groups: dict[str, list[str]] = {}
    category, related = "", True
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("##"):
            header = line[2:].strip()
            related = not header.endswith("(unrelated)")
            category = header.removesuffix("(unrelated)").strip()
            continue
        parts = [p.strip() for p in line.split("|")]
        name = parts[0]
        cs = name.endswith("[cs]")
        name = name.removesuffix("[cs]").strip()
        parent = next((p.lstrip(">").strip() for p in parts[1:] if p.startswith(">")), None)
        aliases = [a.strip() for p in parts[1:] if not p.startswith(">") for a in p.split(",")]
        aliases = [a for a in aliases if a]
        skill = Skill(name, category, "core", aliases, parent, case_sensitive=cs)
        skill.exact_forms = [name] if cs else []
        skill.core_forms = [name, *aliases]
        skills.append(skill)
        if related:
            groups.setdefault(category, []).append(name)
    return skills, groups


def npm_dir(spec: str, base: Path) -> Path:
    target = base / spec.split("@")[0]
    if not (target / "package").is_dir():
        out = subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=base, check=True, capture_output=True, text=True
        )
        with tarfile.open(base / out.stdout.strip().splitlines()[-1]) as tar:
            target.mkdir(exist_ok=True)
            tar.extractall(target, filter="data")
    return target / "package"


def linguist_skills(package: Path) -> list[Skill]:
    index = package / "index.js"
    script = f"import('{index}').then(m=>console.log(JSON.stringify(Object.values(m))))"
    node = subprocess.run(["node", "-e", script], check=True, capture_output=True, text=True)
    data = json.loads(node.stdout)
    kinds = {"programming": "Programming languages", "markup": "Markup languages"}
    out = []
    for lang in data:
        if lang["type"] not in kinds:
            continue
        aliases = [a for a in lang.get("aliases", []) if norm(a) != norm(lang["name"])]
        out.append(Skill(lang["name"], kinds[lang["type"]], "linguist", aliases, lang.get("group")))
    return out


def devicon_skills(package: Path) -> list[Skill]:
    out = []
    for icon in json.loads((package / "devicon.json").read_text(encoding="utf-8")):
        slug = icon["name"]
        if slug in DEVICON_SKIP:
            continue
        tags = set(icon.get("tags", []))
        category = next((c for tag, c in DEVICON_CATEGORY if tag in tags), "Developer tools")
        plain = slug if any(c.isdigit() for c in slug) else slug.title()
        name = DEVICON_DISPLAY.get(slug) or plain
        out.append(Skill(name, category, "devicon", [slug, *icon.get("altnames", [])]))
    return out


def key(form: str) -> str:
    return re.sub(r"[^a-z0-9+#]", "", form.lower())


def merge(core: list[Skill], derived: list[Skill]) -> list[Skill]:
    """Add derived skills that the core lacks; fold their aliases into core skills they match."""
    by_form: dict[str, Skill] = {}
    for skill in core:
        for form in skill.forms():
            by_form.setdefault(key(form), skill)
    result = list(core)
    for skill in derived:
        existing = next((by_form[key(f)] for f in skill.forms() if key(f) in by_form), None)
        if existing is not None:
            if existing.source != "core":
                continue
            known = {norm(f) for f in existing.forms()}
            existing.aliases += [a for a in skill.aliases if norm(a) not in known and
                                 norm(a) not in COMMON_CASE and len(a) > 2]  # fmt: skip
            continue
        if norm(skill.name) in COMMON_DROP or not key(skill.name):
            continue
        skill.aliases = [
            a
            for a in skill.aliases
            if key(a) and key(a) not in by_form and norm(a) not in COMMON_DROP
        ]
        for form in skill.forms():
            by_form.setdefault(key(form), skill)
        result.append(skill)
    return result


def finish(skills: list[Skill], groups: dict[str, list[str]]) -> list[dict[str, object]]:
    names = {s.name for s in skills}
    by_name = {s.name: s for s in skills}
    for members in groups.values():
        for name in members:
            by_name[name].related.update(m for m in members[: MAX_RELATED + 1] if m != name)
    for skill in skills:
        if skill.parent and skill.parent in names and skill.parent != skill.name:
            skill.related.add(skill.parent)
            by_name[skill.parent].related.add(skill.name)
        elif skill.parent not in names:
            skill.parent = None
    seen: set[str] = set()
    rows = []
    for skill in skills:
        aliases = []
        for alias in skill.aliases:
            if norm(alias) in seen or norm(alias) == norm(skill.name):
                continue
            seen.add(norm(alias))
            aliases.append(alias)
        seen.add(norm(skill.name))
        exact = sorted({exact_form(f) for f in [skill.name, *aliases] if needs_case(skill, f)})
        rows.append(
            {
                "name": skill.name,
                "category": skill.category,
                "aliases": aliases,
                "parent": skill.parent,
                "related": sorted(skill.related),
                "exact_case": exact,
                "source": skill.source,
            }
        )
    return rows


def needs_case(skill: Skill, form: str) -> bool:
    """True when a form is an everyday word or too short to match regardless of case.

    Core forms are curated (`[cs]` marks the ambiguous ones); derived forms are checked
    against English word frequencies.
    """
    if form in skill.exact_forms or len(form) <= 2:
        return True
    common = form.isalpha() and norm(form) in COMMON_CASE
    if skill.source == "core" and form in skill.core_forms:
        return common and len(form) <= 3 and form.islower()
    return common


def exact_form(form: str) -> str:
    """The casing a form must have: as written, else `AI` for `ai` and `Excel` for `excel`."""
    if form != form.lower():
        return form
    return form.upper() if len(form) <= 3 else form.capitalize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.npm_dir or Path(tmp)
        core, groups = parse_core(HERE / "core.txt")
        derived = linguist_skills(npm_dir(LINGUIST, base)) + devicon_skills(npm_dir(DEVICON, base))
    rows = finish(merge(core, derived), groups)
    payload = {
        "sources": {"core": "scripts/taxonomy/core.txt", "linguist": LINGUIST, "devicon": DEVICON},
        "skills": rows,
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} skills to {OUT}")


if __name__ == "__main__":
    main()
