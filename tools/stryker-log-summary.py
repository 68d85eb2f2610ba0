#!/usr/bin/env python3
"""Summarise a Stryker.NET debug log (`--log-to-file` with debug verbosity), also for a run stopped before the end.

usage: tools/stryker-log-summary.py LOG [--scope REGEX] [--src DIR] [--list]

Per source file (path under src/LogitRank/, filtered by --scope): mutants planned for testing, tested so far,
killed ("failed" test run), timeout, survived ("success"), no coverage, and the score over what was decided so far:
(killed + timeout) / (killed + timeout + survived + no coverage), Stryker's convention for timeouts.
Stryker.NET 5.1.0 logs a session cut off at its timeout as "success" (proofs-notes/mutation.md, "Limits found on the
way"); a "success" whose session lasted at least its timeout ("Using N ms as test run timeout") minus 0.5 s is
counted here as a timeout instead, and listed separately by --list. The log does not record which mutants the `ignore-methods` filter removed
(Stryker reports them as Ignored only in the final report); with --src DIR (the mutated project's source tree) a
no-coverage mutant whose original text lies inside the argument list of a `new ...Exception(` is counted as ignored
instead (approximation: the text is located by search). --list prints the survivors as `id  file  mutator  original -> replacement`.
The JSON report of a finished run (tools/stryker-survivors.py) is authoritative; this reads the log so that a run
stopped by a time box still yields exact per-mutant results for the mutants it tested.
"""
import re, sys, collections

def main():
    if len(sys.argv) < 2:
        print(__doc__); sys.exit(2)
    text = open(sys.argv[1], errors='replace').read()
    scope = re.compile(sys.argv[sys.argv.index('--scope') + 1]) if '--scope' in sys.argv else re.compile('.')
    events = []
    for m in re.finditer(r'\[DBG\] Mutating "[^"]*/src/LogitRank/([^"]+)"', text):
        events.append((m.start(), 'file', m.group(1)))
    for m in re.finditer(r'\[DBG\] Mutant (\d+) created "(.*?)" -> "(.*?)" using "Stryker\.Core\.Mutators\.(\w+)"', text, re.S):
        events.append((m.start(), 'mut', m.groups()))
    events.sort(key=lambda e: e[0])
    cur, info = None, {}
    for _, kind, v in events:
        if kind == 'file':
            cur = v
        else:
            info[int(v[0])] = (cur, ' '.join(v[1].split()), ' '.join(v[2].split()), v[3])
    planned = {int(i) for i in re.findall(r'Mutant (\d+) will be tested against', text)}
    nocov = {int(i) for i in re.findall(r'Mutant (\d+) is not covered by any test', text)}
    status = {int(a): b for a, b in re.findall(r'Test run for "(\d+): [^"]*" is "(\w+)"', text)}
    # Session durations: "Runner R": Testing ["N: ..."] ... "Runner R": Using T ms ... Test run for "N: ..." is ...
    started, limit, current = {}, {}, {}
    for line in text.splitlines():
        m = re.match(r'(\S+)\s+\[DBG\] "(Runner \d+)": Testing \["(\d+):', line)
        if m:
            started[int(m.group(3))] = m.group(1)
            current[m.group(2)] = int(m.group(3))
            continue
        m = re.match(r'\S+\s+\[DBG\] "(Runner \d+)": Using (\d+) ms as test run timeout', line)
        if m and m.group(1) in current:
            limit[current[m.group(1)]] = int(m.group(2)) / 1000
            continue
        m = re.match(r'(\S+)\s+\[DBG\] Test run for "(\d+): [^"]*" is "success"', line)
        if m and int(m.group(2)) in started and int(m.group(2)) in limit:
            i = int(m.group(2))
            if seconds(m.group(1)) - seconds(started[i]) >= limit[i] - 0.5:
                status[i] = 'timeout'
    src = sys.argv[sys.argv.index('--src') + 1] if '--src' in sys.argv else None
    sources = {}

    def in_exception_args(f, original):
        if src is None:
            return False
        if f not in sources:
            sources[f] = open(f"{src}/{f}", errors='replace').read()
        text = sources[f]
        needle = original.replace('\\"', '"')
        spans = []
        for m in re.finditer(r'new\s+\w*Exception\(', text):
            depth, j = 1, m.end()
            while j < len(text) and depth:
                depth += {'(': 1, ')': -1}.get(text[j], 0)
                j += 1
            spans.append((m.end(), j))
        flat = ' '.join(text.split())
        hits = [k.start() for k in re.finditer(re.escape(' '.join(needle.split())), flat)]
        if not hits:
            return False
        # Map span offsets to the whitespace-collapsed text by collapsing each span's prefix.
        cspans = [(len(' '.join(text[:a].split())), len(' '.join(text[:b].split()))) for a, b in spans]
        return all(any(a <= h <= b for a, b in cspans) for h in hits)

    rows = collections.defaultdict(collections.Counter)
    for i, (f, *_ ) in info.items():
        if not scope.search(f):
            continue
        c = rows[f]
        if i in planned:
            c['planned'] += 1
        if i in nocov:
            if in_exception_args(f, info[i][1]):
                c['ignored'] += 1
            else:
                c['nocov'] += 1
        s = status.get(i)
        if s == 'failed':
            c['killed'] += 1
        elif s == 'timeout':
            c['timeout'] += 1
        elif s == 'success':
            c['survived'] += 1
        elif s is not None:
            c['other'] += 1
    total = collections.Counter()
    print('| file | tested | killed | timeout | survived | no coverage | score so far |')
    print('|---|---|---|---|---|---|---|')
    for f in sorted(rows):
        c = rows[f]
        if not (c['planned'] or c['nocov']):
            continue
        total += c
        print(row(f'`{f}`', c))
    print(row('**all**', total))
    if '--list' in sys.argv:
        for kind in ('success', 'timeout'):
            for i in sorted(status):
                if status[i] == kind and scope.search(info[i][0]):
                    f, o, r, mut = info[i]
                    tag = '' if kind == 'success' else 'TIMEOUT\t'
                    print(f"{tag}{i}\t{f}\t{mut}\t{o[:150]!r} -> {r[:150]!r}")

def seconds(stamp):
    """Seconds since midnight of an ISO timestamp like 2026-11-28T09:11:00.1596164+00:00 (runs do not span midnight)."""
    h, m, sec = stamp[11:].split('+')[0].split(':')
    return int(h) * 3600 + int(m) * 60 + float(sec)

def row(name, c):
    tested = c['killed'] + c['timeout'] + c['survived'] + c['other']
    decided = c['killed'] + c['timeout'] + c['survived'] + c['nocov']
    score = f"{100.0 * (c['killed'] + c['timeout']) / decided:.1f}%" if decided else 'n/a'
    return f"| {name} | {tested} | {c['killed']} | {c['timeout']} | {c['survived']} | {c['nocov']} | {score} |"

if __name__ == '__main__':
    main()
