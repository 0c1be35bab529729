# Regenerates the resx files of every text catalogue from its texts.tsv (key <TAB> Indonesian <TAB> English): one
# table keeps both languages side by side for translators. The one pattern for UI, CLI and API texts
# (docs/architecture.md, Naming): the web's SharedResource.resx / SharedResource.en.resx from this folder's texts.tsv,
# the CLI's CliTexts.resx / CliTexts.en.resx from src/Tuntas.Cli/Resources/texts.tsv. Indonesian is the neutral
# (default) resource, English the `en` satellite. Run: python3 src/Tuntas.Web/Resources/generate.py
import pathlib
import sys
from xml.sax.saxutils import escape
here = pathlib.Path(__file__).parent
catalogues = ((here, "SharedResource"), (here.parent.parent / "Tuntas.Cli" / "Resources", "CliTexts"))
head = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""
for folder, base in catalogues:
    table = folder / "texts.tsv"
    rows = [l.rstrip("\n").split("\t") for l in table.read_text(encoding="utf-8").splitlines() if l.strip()]
    # A row without both languages, or a key twice, would make a resx that builds but shows a wrong or missing text.
    bad = [r[0] for r in rows if len(r) != 3 or not r[1] or not r[2]]
    keys = [r[0] for r in rows]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if bad or twice:
        sys.exit(f"{table}: rows without key, Indonesian and English: {bad}; keys twice: {twice}")
    for column, name in ((1, f"{base}.resx"), (2, f"{base}.en.resx")):
        body = "".join(f'  <data name="{escape(r[0])}" xml:space="preserve"><value>{escape(r[column])}</value></data>\n' for r in rows)
        (folder / name).write_text(head + body + "</root>\n", encoding="utf-8")
