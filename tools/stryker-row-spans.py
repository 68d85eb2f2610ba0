#!/usr/bin/env python3
"""Stryker `-m` span arguments that re-test the mutants named by rows of proofs-notes/mutation.md.

A re-test after new tests (or after the source moved) needs each mutant's place in today's source. This script takes
each row's original text from the run it came from and finds it again in the current source:

  rows `| \\`Dir/File.cs:line\\` | status | mutator | original → replacement | ... |`  need --report, the JSON report of
      that run (its `source` gives the mutated text in full);
  rows `| id | \\`File.cs\\` | \\`Mutator\\` 'original' -> 'replacement' | ... |`  need --log, the debug log of that run
      (`Mutant N created "original" -> ...`); the file is looked up in --log-dirs (default: Learning, Numerics).

Usage:
  python3 tools/stryker-row-spans.py ROWS.md [--report REPORT.json] [--log LOG.txt] [--src src/LogitRank]
Prints one line of `-m "**/Dir/File.cs{start..end}"` arguments (character offsets, as Stryker.NET reads them) and, on
stderr, how many rows were found. A row whose text no longer occurs (the code was rewritten) is reported on stderr:
mutate that file whole instead. When the text occurs more than once, the occurrence nearest the row's old line is
taken (rows with a line); for log rows every occurrence is taken.
"""
import argparse
import json
import os
import re
import sys


def norm(s):
    return ' '.join(s.split())


def report_index(path):
    index = {}
    rep = json.load(open(path))
    for fpath, f in rep['files'].items():
        rel = fpath.split('src/LogitRank/')[-1]
        lines = f['source'].split('\n')
        for m in f['mutants']:
            s, e = m['location']['start'], m['location']['end']
            if s['line'] == e['line']:
                full = lines[s['line'] - 1][s['column'] - 1:e['column'] - 1]
                short = norm(full)[:70]
            else:
                full = '\n'.join([lines[s['line'] - 1][s['column'] - 1:]] + lines[s['line']:e['line'] - 1]
                                 + [lines[e['line'] - 1][:e['column'] - 1]])
                short = norm(lines[s['line'] - 1][s['column'] - 1:] + ' ...')[:70]
            key = (rel, s['line'], m['mutatorName'], short, norm(m.get('replacement', ''))[:50])
            index.setdefault(key, full)
    return index


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('rows')
    ap.add_argument('--report')
    ap.add_argument('--log')
    ap.add_argument('--src', default='src/LogitRank')
    ap.add_argument('--log-dirs', default='Learning,Numerics')
    a = ap.parse_args()
    index = report_index(a.report) if a.report else {}
    created = {}
    if a.log:
        text = open(a.log, errors='replace').read()
        created = {int(i): o.replace('\\"', '"') for i, o in re.findall(r'\[DBG\] Mutant (\d+) created "(.*?)" -> "', text, re.S)}
    args, missing, n = set(), [], 0

    def locate(rel, full, oldline):
        src = open(os.path.join(a.src, rel)).read()
        pat = r'\s*'.join(re.escape(t) for t in full.split())
        hits = [m.span() for m in re.finditer(pat, src)]
        if hits and oldline:
            hits = [min(hits, key=lambda h: abs(src.count('\n', 0, h[0]) + 1 - oldline))]
        for s, e in hits:
            args.add(f'-m "**/{rel}{{{s}..{e}}}"')
        return bool(hits)

    for line in open(a.rows):
        line = line.strip()
        m = re.match(r'^\| `([^`:]+):(\d+)` \| \w+ \| ([^|]+) \| (.*?) → (.*?) \| ', line)
        if m:
            rel, old, mut, orig, repl = m.groups()
            n += 1
            unq = lambda x: x.strip().strip('`').replace('\\|', '|')
            full = index.get((rel, int(old), mut.strip(), unq(orig), unq(repl)))
            if full is None or not locate(rel, full, int(old)):
                missing.append(line[:120])
            continue
        m = re.match(r'^\| (\d+) \| `([^`]+\.cs)` \|', line)
        if m:
            n += 1
            i, name = int(m.group(1)), m.group(2)
            rels = [f'{d}/{name}' for d in a.log_dirs.split(',') if os.path.exists(os.path.join(a.src, d, name))]
            if i not in created or not rels or not locate(rels[0], created[i], None):
                missing.append(line[:120])
    print(' '.join(sorted(args)))
    print(f'{n} rows, {len(args)} spans, {len(missing)} not found', file=sys.stderr)
    for x in missing:
        print('  not found: ' + x, file=sys.stderr)


if __name__ == '__main__':
    main()
