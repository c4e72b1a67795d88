#!/usr/bin/python3
"""doc_messages.py README DIR... -- README's "What users see" sentences against the sources.

Each sentence the README quotes in that section (an item line starting with two spaces and a
double quote, continued on lines indented further, up to the closing quote) must be found
in one string literal of the C sources under DIR..., adjacent literals joined as the
compiler joins them. In a sentence "..." stands for text left out and TIME for a time, each
matching anything (a printf conversion, a clause not quoted); everything else must be there
word for word, blanks aside (the README wraps lines).

Prints one line per sentence: "ok<TAB>SENTENCE" or "missing<TAB>SENTENCE", then exits 0.
Nothing found at all is an error (exit 2): a check over an empty list proves nothing.
"""
import os
import re
import sys

PLACEHOLDER = re.compile(r"\.\.\.|\bTIME\b")


def section(readme):
    """The lines from the "What users see" heading to the "Logs:" paragraph."""
    out, on = [], False
    for line in readme.splitlines():
        if line.startswith("What users see"):
            on = True
            continue
        if on and line.startswith("Logs:"):
            break
        if on:
            out.append(line)
    return out


def sentences(lines):
    """Quoted item sentences, continuation lines joined with one space."""
    found, cur = [], None
    for line in lines:
        if cur is None:
            if line.startswith('  "'):
                cur = line[3:]
            else:
                continue
        else:
            cur += " " + line.strip()
        # the closing quote ends the line or is followed by a colon (a gloss follows)
        m = re.match(r'^(.*?)"(:.*)?$', cur)
        if m:
            found.append(" ".join(m.group(1).split()))
            cur = None
    return found


LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'", "b": "\b", "r": "\r"}


def c_strings(text):
    """Every string literal of C source text, adjacent literals joined."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"\\\n", " ", text)                 # macro continuation lines
    text = re.sub(r"'(?:[^'\\\n]|\\.)+'", "' '", text)  # char literals may hold quotes
    text = re.sub(r"//[^\n]*", " ", text)
    out, pos, cur = [], 0, None
    for m in LITERAL.finditer(text):
        between = text[pos:m.start()]
        value = re.sub(r"\\(.)", lambda e: ESCAPES.get(e.group(1), e.group(1)), m.group(1))
        if cur is not None and between.strip() == "":
            cur += value
        else:
            if cur is not None:
                out.append(cur)
            cur = value
        pos = m.end()
    if cur is not None:
        out.append(cur)
    return out


def pattern(sentence):
    parts = PLACEHOLDER.split(sentence)
    return re.compile(".*?".join(r"\s+".join(map(re.escape, p.split())) if p.strip() else ""
                                 for p in parts), re.S)


def main():
    readme, dirs = sys.argv[1], sys.argv[2:]
    with open(readme, encoding="utf-8") as f:
        wanted = sentences(section(f.read()))
    strings = []
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in files:
                if name.endswith((".c", ".h")):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        strings += c_strings(f.read())
    if not wanted or not strings:
        print("doc_messages: no sentences or no source strings found", file=sys.stderr)
        return 2
    for s in wanted:
        rx = pattern(s)
        hit = any(rx.search(" ".join(lit.split())) for lit in strings)
        print(("ok" if hit else "missing") + "\t" + s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
