#!/usr/bin/env python3
"""Summarise a Stryker.NET mutation-report.json: score per file and per area, and list the surviving mutants.

usage: tools/stryker-survivors.py REPORT.json [--list] [--area Learning]

Score = (killed + timeout) / (killed + timeout + survived + no coverage), Stryker's convention; compile errors and
ignored mutants are excluded. --list prints every survivor / no-coverage mutant as
`file:line:col  status  mutator  original -> replacement`.
"""
import json, sys, collections, os

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__); sys.exit(2)
    report = json.load(open(args[0]))
    listing = '--list' in args
    area = args[args.index('--area') + 1] if '--area' in args else None
    statuses = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'Ignored', 'RuntimeError']
    per_file = {}
    survivors = []
    for path, f in sorted(report['files'].items()):
        rel = path.split('src/LogitRank/')[-1]
        if area and not rel.startswith(area + '/'):
            continue
        c = collections.Counter(m['status'] for m in f['mutants'])
        per_file[rel] = c
        lines = f['source'].split('\n')
        for m in f['mutants']:
            if m['status'] in ('Survived', 'NoCoverage'):
                s, e = m['location']['start'], m['location']['end']
                if s['line'] == e['line']:
                    orig = lines[s['line'] - 1][s['column'] - 1:e['column'] - 1]
                else:
                    orig = lines[s['line'] - 1][s['column'] - 1:] + ' ...'
                survivors.append((rel, s['line'], s['column'], m['status'], m['mutatorName'], orig.strip(), m.get('replacement', '').strip()))
    def score(c):
        det = c['Killed'] + c['Timeout']
        tot = det + c['Survived'] + c['NoCoverage']
        return det, tot, (100.0 * det / tot if tot else float('nan'))
    areas = collections.defaultdict(collections.Counter)
    print('| file | killed | timeout | survived | no coverage | compile error | ignored | score |')
    print('|---|---|---|---|---|---|---|---|')
    for rel, c in per_file.items():
        areas[rel.split('/')[0] if '/' in rel else '.'] += c
        det, tot, sc = score(c)
        print(f"| `{rel}` | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | {c['CompileError']} | {c['Ignored']} | {sc:.1f}% |")
    print()
    print('| area | killed | timeout | survived | no coverage | compile error | ignored | score |')
    print('|---|---|---|---|---|---|---|---|')
    total = collections.Counter()
    for a, c in sorted(areas.items()):
        total += c
        det, tot, sc = score(c)
        print(f"| {a} | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | {c['CompileError']} | {c['Ignored']} | {sc:.1f}% |")
    det, tot, sc = score(total)
    print(f"| **all** | {total['Killed']} | {total['Timeout']} | {total['Survived']} | {total['NoCoverage']} | {total['CompileError']} | {total['Ignored']} | **{sc:.1f}%** |")
    if listing:
        print()
        for r in survivors:
            print(f"{r[0]}:{r[1]}:{r[2]}  {r[3]}  {r[4]}  {r[5][:90]!r} -> {r[6][:90]!r}")

if __name__ == '__main__':
    main()
