# Regenerates SharedResource.resx (Bahasa Indonesia, default) and SharedResource.en.resx from texts.tsv
# (key <TAB> Indonesian <TAB> English): one table keeps both languages side by side for translators.
import pathlib
from xml.sax.saxutils import escape
here = pathlib.Path(__file__).parent
rows = [l.rstrip("\n").split("\t") for l in (here / "texts.tsv").read_text(encoding="utf-8").splitlines() if l.strip()]
head = """<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
"""
for column, name in ((1, "SharedResource.resx"), (2, "SharedResource.en.resx")):
    body = "".join(f'  <data name="{escape(r[0])}" xml:space="preserve"><value>{escape(r[column])}</value></data>\n' for r in rows)
    (here / name).write_text(head + body + "</root>\n", encoding="utf-8")
