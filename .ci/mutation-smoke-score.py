#!/usr/bin/env python3
"""Scores the CI mutation smoke from Stryker.NET's JSON report and fails below a threshold.

usage: .ci/mutation-smoke-score.py REPORT.json --config .ci/stryker-smoke.json --threshold PERCENT [--elapsed SECONDS]

Score = killed / (killed + timeout + survived + no coverage + runtime error): a timeout counts as a survivor, not as a
kill (Stryker's own score counts it as detected, so load that stretches a test session past its timeout would raise
it). Compile errors and ignored mutants (the files outside the smoke's `mutate` list, exception constructors) are left
out, as in Stryker's score. Every mutant that was not killed is listed. Exit code 0 when the score is at least the
threshold, 1 when it is below or when a file of the `mutate` list had no tested mutant (a renamed file or a
`test-case-filter` that selects no test would otherwise pass unnoticed), 2 on bad usage or an unreadable report.
See proofs-notes/mutation.md, "The CI mutation smoke".
"""
import collections
import json
import sys

DECIDED = ('Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError')


def arg(args, name, default=None):
    if name in args:
        i = args.index(name)
        if i + 1 < len(args):
            return args[i + 1]
    return default


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith('--') or arg(args, '--config') is None or arg(args, '--threshold') is None:
        print(__doc__)
        return 2
    try:
        report = json.load(open(args[0], encoding='utf-8'))
        config = json.load(open(arg(args, '--config'), encoding='utf-8'))['stryker-config']
        threshold = float(arg(args, '--threshold'))
    except (OSError, ValueError, KeyError) as e:
        print(f'mutation smoke: FAILED (cannot read the report or the configuration: {e})')
        return 2
    elapsed = arg(args, '--elapsed')

    per_file = {}
    not_killed = []
    for path, f in sorted(report['files'].items()):
        rel = path.replace('\\', '/').split('src/LogitRank/')[-1]
        counts = collections.Counter(m['status'] for m in f['mutants'])
        if sum(counts[s] for s in DECIDED) == 0:
            continue
        per_file[rel] = counts
        lines = f['source'].split('\n')
        for m in f['mutants']:
            if m['status'] in DECIDED and m['status'] != 'Killed':
                s, e = m['location']['start'], m['location']['end']
                line = lines[s['line'] - 1]
                original = line[s['column'] - 1:e['column'] - 1] if s['line'] == e['line'] else line[s['column'] - 1:] + ' ...'
                not_killed.append(f"  {rel}:{s['line']}:{s['column']}  {m['status']}  {m['mutatorName']}  "
                                  f"{original.strip()!r} -> {m.get('replacement', '').strip()!r}")

    print('| file | killed | timeout | survived | no coverage | runtime error | compile error | ignored | score |')
    print('|---|---|---|---|---|---|---|---|---|')
    total = collections.Counter()
    for rel, c in per_file.items():
        total += c
        decided = sum(c[s] for s in DECIDED)
        print(f"| `{rel}` | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} | {c['RuntimeError']} | "
              f"{c['CompileError']} | {c['Ignored']} | {100.0 * c['Killed'] / decided:.1f}% |")
    decided = sum(total[s] for s in DECIDED)
    if not_killed:
        print('Not killed (a timeout counts as not killed):')
        print('\n'.join(not_killed))

    patterns = [p for p in config.get('mutate', []) if not p.startswith('!')]
    untested = [p for p in patterns if not any(('/' + rel).endswith(p.lstrip('*')) for rel in per_file)]
    took = f', {int(float(elapsed)) // 60} min {int(float(elapsed)) % 60} s' if elapsed else ''
    if untested or decided == 0:
        print(f"mutation smoke: FAILED (no tested mutant in {', '.join(untested) or 'any file'}: "
              f"a file was renamed or the test-case-filter selects no test{took})")
        return 1
    score = 100.0 * total['Killed'] / decided
    verdict = 'PASSED' if score >= threshold else 'FAILED'
    print(f"mutation smoke: {verdict}, score {score:.1f}% ({total['Killed']} of {decided} mutants killed, "
          f"{total['Timeout']} timeouts counted as survived) against the threshold {threshold:g}% "
          f"over {len(per_file)} files{took}")
    return 0 if verdict == 'PASSED' else 1


if __name__ == '__main__':
    sys.exit(main())
