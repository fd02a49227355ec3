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
PY
ls formats | wc -l | sed 's/$/ files in corpus-samples\/formats/'
