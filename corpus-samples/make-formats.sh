#!/bin/sh
# make-formats.sh: the interviews of corpus-samples/ in the files
# transcripts really come in, written into corpus-samples/formats/:
#
#   intervjuNN-utf16.txt   UTF-16LE with a BOM and CRLF (Word's "Unicode text")
#   intervjuNN-cp1252.txt  Windows-1252 with CRLF (Word's and Notepad's "ANSI");
#                          only the interviews whose names the code page holds
#   intervjuNN.vtt         WebVTT, one cue per turn, the speaker in a voice tag
#                          ("<v Karin Holm>", Teams' "<v Tindra Ek (Extern)>")
#   intervjuNN-vtt.txt     the same cues' text as plain UTF-8 ("Karin Holm: ...")
#   intervjuNN.srt         SRT, turns as "SPEAKER_00: ..." (speech recognition)
#   intervjuNN-srt.txt     the same text as plain UTF-8
#   intervjuNN.docx        Word: one paragraph per line; the interviewee's
#                          name in the header, a comment by a named author,
#                          a name split across two runs ("Ro" + "lf"), a
#                          tracked insertion and deletion by a named author,
#                          an e-mail address as Word links it (mailto:);
#                          and what Word keeps about people: the author's
#                          account (people.xml), the template on her disk
#                          (settings.xml), a custom property naming the
#                          interviewee, the company (app.xml), a thumbnail
#   intervjuNN-docx.txt    the text tyst reads from it, as plain UTF-8
#   intervjuNN.odt         OpenDocument text with the same lines, the author
#                          in meta.xml (and who printed it, a user-defined
#                          field naming the interviewee, a thumbnail);
#                          intervjuNN-odt.txt its text
#
# The tests (tests/cli/formats.sh) check that each file gives the findings
# of its plain UTF-8 text.  Run from anywhere; python3 writes the files.
set -eu
cd "$(dirname "$0")"
mkdir -p formats
python3 - <<'PY'
import glob, os, re

VOICE = {"I": "Karin Holm", "IP": "Tindra Ek (Extern)"}
SPEAKER = {}

def cue_time(sec):
    return "%02d:%02d:%02d.%03d" % (sec // 3600, sec // 60 % 60, sec % 60, 0)

for path in sorted(glob.glob("intervju0*.txt")):
    base = os.path.splitext(os.path.basename(path))[0]
    text = open(path, encoding="utf-8").read()
    crlf = text.replace("\n", "\r\n")
    with open("formats/%s-utf16.txt" % base, "wb") as f:
        f.write(b"\xff\xfe" + crlf.encode("utf-16-le"))
    try:
        data = crlf.encode("cp1252")
        with open("formats/%s-cp1252.txt" % base, "wb") as f:
            f.write(data)
    except UnicodeEncodeError:
        pass
    turns = []
    for line in text.split("\n"):
        m = re.match(r"^(?:\[\d\d:\d\d:\d\d\] )?([A-ZÅÄÖ]\w*(?: \d+)?): (.*)$",
                     line)
        if m and m.group(2).strip():
            turns.append((m.group(1), m.group(2)))
    # Header lines ("Ljudfil: D01.m4a") are not turns: a speaker speaks twice.
    count = {}
    for who, _ in turns:
        count[who] = count.get(who, 0) + 1
    turns = [(w, s) for w, s in turns if count[w] > 1]
    vtt = ["WEBVTT", "Kind: captions", "Language: sv", ""]
    vplain, splain, srt = [], [], []
    labels = {}
    t = 4
    for n, (who, said) in enumerate(turns, 1):
        voice = VOICE.get(who, who)
        start, t = t, t + 3 + len(said) // 15
        vtt += [str(n), "%s --> %s align:start position:10%%" %
                (cue_time(start), cue_time(t)),
                "<v %s>%s</v>" % (voice, said), ""]
        vplain.append("%s: %s" % (re.sub(r" \(.*\)$", "", voice), said))
        if who not in labels:
            labels[who] = "SPEAKER_%02d" % len(labels)
        srt += [str(n), "%s --> %s" % (cue_time(start).replace(".", ","),
                cue_time(t).replace(".", ",")),
                "%s: %s" % (labels[who], said), ""]
        splain.append("%s: %s" % (labels[who], said))
    for name, lines in (("%s.vtt" % base, vtt), ("%s-vtt.txt" % base, vplain),
                        ("%s.srt" % base, srt), ("%s-srt.txt" % base, splain)):
        with open("formats/" + name, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")

# ---- Word and OpenDocument, written by hand (zip + XML) -------------------
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

def run(t, bold=False):
    rpr = '<w:rPr><w:b/></w:rPr>' if bold else ''
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, escape(t))

MAIL = re.compile(r"[\w.-]+@[\w.-]+\w")

def para(line):
    # Word makes a link of an e-mail address typed: its target (a mailto:
    # in document.xml.rels) names the person as the text does.
    m = MAIL.search(line)
    if m:
        return ('<w:p>%s<w:hyperlink r:id="rIdM">%s</w:hyperlink>%s</w:p>'
                % (run(line[:m.start()]), run(m.group(0)), run(line[m.end():])))
    # Word splits a run where an edit touched it: "Ro" + "lf".
    if "Rolf" in line:
        a, b = line.split("Rolf", 1)
        return '<w:p>%s%s%s%s</w:p>' % (run(a), run("Ro", True), run("lf"),
                                        run(b))
    return '<w:p>%s</w:p>' % run(line)

def zwrite(path, files):
    # Written the same every time: fixed dates, sorted as given.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" \
                else zipfile.ZIP_DEFLATED
            z.writestr(info, data)

for path in sorted(glob.glob("intervju0[1-3].txt")):
    base = os.path.splitext(os.path.basename(path))[0]
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    who = "Tindra Ek"
    body = [para(l) for l in lines]
    # A tracked change: "Hudiksvall" inserted, "Gävle" deleted, by a person.
    body.append('<w:p><w:r><w:t xml:space="preserve">Rättelse: hon bor i </w:t>'
                '</w:r><w:ins w:id="1" w:author="Maria Hedlund" '
                'w:date="2024-01-02T10:00:00Z"><w:r><w:t>Hudiksvall</w:t></w:r>'
                '</w:ins><w:del w:id="2" w:author="Maria Hedlund" '
                'w:date="2024-01-02T10:00:00Z"><w:r><w:delText> och Gävle'
                '</w:delText></w:r></w:del></w:p>')
    body.append('<w:p><w:commentRangeStart w:id="0"/>%s<w:commentRangeEnd '
                'w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
                % run("Slut på intervjun."))
    tbl = ('<w:tbl><w:tr><w:tc><w:p>%s</w:p></w:tc><w:tc><w:p>%s</w:p></w:tc>'
           '</w:tr></w:tbl>' % (run("Intervjuperson"), run(who)))
    document = (HEAD + '<w:document %s><w:body>%s%s<w:sectPr><w:headerReference '
                'w:type="default" r:id="rIdH"/></w:sectPr></w:body></w:document>'
                % (W, tbl, "".join(body)))
    header = HEAD + '<w:hdr %s><w:p>%s</w:p></w:hdr>' % (W, run("Intervju med " + who))
    comments = (HEAD + '<w:comments %s><w:comment w:id="0" w:author="Maria '
                'Hedlund" w:initials="MH"><w:p>%s</w:p></w:comment></w:comments>'
                % (W, run("Kolla med Jonas Berg om namnet.")))
    core = (HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
            'elements/1.1/"><dc:creator>Maria Hedlund</dc:creator>'
            '<cp:lastModifiedBy>Maria Hedlund</cp:lastModifiedBy>'
            '</cp:coreProperties>')
    ctypes = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/'
              'vnd.openxmlformats-package.relationships+xml"/><Default Extension='
              '"xml" ContentType="application/xml"/><Override PartName="/word/'
              'document.xml" ContentType="application/vnd.openxmlformats-'
              'officedocument.wordprocessingml.document.main+xml"/><Override '
              'PartName="/word/header1.xml" ContentType="application/vnd.'
              'openxmlformats-officedocument.wordprocessingml.header+xml"/>'
              '<Override PartName="/word/comments.xml" ContentType="application/'
              'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
              '<Override PartName="/docProps/core.xml" ContentType="application/'
              'vnd.openxmlformats-package.core-properties+xml"/></Types>')
    rels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/package/2006/relationships/metadata/core-'
            'properties" Target="docProps/core.xml"/></Relationships>')
    drels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rIdH" Type="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships/header" '
             'Target="header1.xml"/><Relationship Id="rIdC" Type="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships/comments" '
             'Target="comments.xml"/></Relationships>')
    # What Word keeps about people beyond the text (not read as text: the
    # scrubbing of tyst-pseudo takes it out).
    people = (HEAD + '<w15:people %s xmlns:w15="http://schemas.microsoft.com/'
              'office/word/2012/wordml"><w15:person w15:author="Maria Hedlund">'
              '<w15:presenceInfo w15:providerId="AD" w15:userId="S::maria.hedlund'
              '@example.se::4f2a"/></w15:person></w15:people>' % W)
    settings = (HEAD + '<w:settings %s><w:zoom w:percent="100"/><w:attachedTemplate '
                'r:id="rId1"/></w:settings>' % W)
    srels = (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
             'Target="file:///C:/Users/mahe01/Mallar/Intervju%20Maria%20Hedlund.dotx"'
             ' TargetMode="External"/></Relationships>')
    app = (HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/'
           'officeDocument/2006/extended-properties"><Template>Intervju.dotx'
           '</Template><Company>Hedlunds Transkribering</Company></Properties>')
    custom = (HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/'
              'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.'
              'openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
              'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name='
              '"Intervjuperson"><vt:lpwstr>%s</vt:lpwstr></property></Properties>'
              % who)
    thumb = b"\xff\xd8\xff\xe0 thumbnail of the first page: " + who.encode()
    ctypes = ctypes.replace('</Types>', '<Default Extension="jpeg" ContentType='
        '"image/jpeg"/><Override PartName="/word/people.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'people+xml"/><Override PartName="/word/settings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'settings+xml"/><Override PartName="/docProps/app.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.extended-properties+'
        'xml"/><Override PartName="/docProps/custom.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.custom-properties+xml"'
        '/></Types>')
    rels = rels.replace('</Relationships>', '<Relationship Id="rId3" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/custom-properties" Target="docProps/custom.xml"/>'
        '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/'
        'package/2006/relationships/metadata/thumbnail" Target="docProps/'
        'thumbnail.jpeg"/></Relationships>')
    mail = [MAIL.search(l).group(0) for l in lines if MAIL.search(l)]
    if mail:
        drels = drels.replace('</Relationships>', '<Relationship Id="rIdM" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/hyperlink" Target="mailto:%s" TargetMode="External"/>'
            '</Relationships>' % mail[0])
    drels = drels.replace('</Relationships>', '<Relationship Id="rIdP" Type='
        '"http://schemas.microsoft.com/office/2011/relationships/people" '
        'Target="people.xml"/><Relationship Id="rIdS" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/settings" '
        'Target="settings.xml"/></Relationships>')
    zwrite("formats/%s.docx" % base, [
        ("[Content_Types].xml", ctypes), ("_rels/.rels", rels),
        ("word/document.xml", document), ("word/_rels/document.xml.rels", drels),
        ("word/header1.xml", header), ("word/comments.xml", comments),
        ("word/people.xml", people), ("word/settings.xml", settings),
        ("word/_rels/settings.xml.rels", srels),
        ("docProps/core.xml", core), ("docProps/app.xml", app),
        ("docProps/custom.xml", custom), ("docProps/thumbnail.jpeg", thumb)])
    # What tyst reads: paragraphs in order (the table's cells each a line),
    # then the header, the comment, and the people.
    text = (["Intervjuperson", who] + lines +
            ["Rättelse: hon bor i Hudiksvall och Gävle", "Slut på intervjun.",
             "Intervju med " + who, "Kolla med Jonas Berg om namnet.",
             "Maria Hedlund", "Maria Hedlund", "Maria Hedlund", "MH",
             "Maria Hedlund", "Maria Hedlund"])
    with open("formats/%s-docx.txt" % base, "w", encoding="utf-8") as f:
        f.write("\n".join(text) + "\n")

    TNS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
    ops = "".join('<text:p>%s</text:p>' % escape(l) for l in lines)
    content = (HEAD + '<office:document-content %s office:version="1.3">'
               '<office:body><office:text>%s</office:text></office:body>'
               '</office:document-content>' % (TNS, ops))
    meta = (HEAD + '<office:document-meta %s office:version="1.3"><office:meta>'
            '<meta:initial-creator>Maria Hedlund</meta:initial-creator>'
            '<dc:creator>Maria Hedlund</dc:creator><meta:printed-by>mahe01'
            '</meta:printed-by><meta:user-defined meta:name="Intervjuperson">%s'
            '</meta:user-defined></office:meta>'
            '</office:document-meta>' % (TNS, who))
    manifest = (HEAD + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" '
                'manifest:media-type="text/xml"/><manifest:file-entry '
                'manifest:full-path="Thumbnails/thumbnail.png" '
                'manifest:media-type="image/png"/></manifest:manifest>')
    zwrite("formats/%s.odt" % base, [
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", content), ("meta.xml", meta),
        ("META-INF/manifest.xml", manifest),
        ("Thumbnails/thumbnail.png", b"\x89PNG thumbnail: " + who.encode())])
    with open("formats/%s-odt.txt" % base, "w", encoding="utf-8") as f:
        f.write("\n".join(lines + ["Maria Hedlund", "Maria Hedlund"]) + "\n")
PY
ls formats | wc -l | sed 's/$/ files in corpus-samples\/formats/'
