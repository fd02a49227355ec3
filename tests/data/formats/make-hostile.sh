#!/bin/sh
# make-hostile.sh: the hostile Word files tests/cli/formats.sh feeds the
# tools, written into this directory (committed; run again to remake):
#
#   bomb.docx      word/document.xml unpacks to 70 MB (over the 64 MB a part
#                  may have): a zip bomb in small
#   manyparts.docx 1001 entries (over the 1000 an archive may have)
#   entities.docx  a DOCTYPE with nested entities ("billion laughs") and an
#                  external entity naming /etc/passwd
#   broken.docx    a .docx cut in half
#   notxml.docx    word/document.xml that is not well-formed
set -eu
cd "$(dirname "$0")"
python3 - <<'PY'
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

def zwrite(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)

doc = '<w:document %s><w:body><w:p><w:r><w:t>Hej Erik</w:t></w:r></w:p></w:body></w:document>' % W
zwrite("bomb.docx", [("word/document.xml", "<w:document %s>" % W + " " * (70 << 20))])
zwrite("manyparts.docx", [("word/document.xml", doc)] +
       [("x/%d" % i, "") for i in range(1000)])
laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
          '<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document %s><w:body><w:p><w:r>'
          '<w:t>&c;&x;</w:t></w:r></w:p></w:body></w:document>' % W)
zwrite("entities.docx", [("word/document.xml", laughs)])
zwrite("full.docx", [("word/document.xml", doc)])
data = open("full.docx", "rb").read()
open("broken.docx", "wb").write(data[:len(data) // 2])
import os
os.remove("full.docx")
zwrite("notxml.docx", [("word/document.xml", "<w:document %s><w:body><w:p>" % W)])
PY
ls -l *.docx | awk '{ print $5, $NF }'
