#!/usr/bin/env python3
"""Stage 2 of the complete mutation run (proofs-notes/mutation.md, "The complete run at ... (issue 17, item 8)").

usage: tools/stryker-stage2-spans.py STAGE1_REPORT.json --args
       (STAGE1_REPORT.json may be several comma-separated reports: the chunks of an area's stage 1)
       tools/stryker-stage2-spans.py STAGE1_REPORT.json --settle STAGE2_REPORT.json [--log STAGE2_LOG] [--list]
       tools/stryker-stage2-spans.py STAGE1_REPORT.json --settle-log STAGE2_LOG [--list]
       tools/stryker-stage2-spans.py STAGE1_REPORT.json --settle S2CS.json,S2FS.json --log S2CS_LOG,S2FS_LOG [--list]
       ... --settle ... [--write-json OUT.json]   (the settled statuses as one Stryker report)

--args   prints, one per line (for `mapfile`), `-m` and `**/Dir/File.cs{start..end}` for every mutant that stage 1 did
         not kill (Survived, NoCoverage, Timeout, RuntimeError), with the character span of its location (the run is at
         the same commit, so stage 1's locations are today's). A span selects its mutant and any mutant inside it.
--only PREFIX[,PREFIX...] (with --args) keeps the mutants of files whose path under src/LogitRank/ starts with a PREFIX.
--except-timeouts (with --args) leaves out the report's Timeout mutants: stage 2's second step (2fs) does not re-test
         what its first step (2cs) saw run to its limit (a hang costs the whole allowance again; a session cut short by
         a lost result is settled from the host logs).
--settle matches each such mutant to the stage-2 report by file, location, mutator and replacement and prints the
         area's table: mutants (tested or not, outside Ignored), killed (stage 1 or stage 2), timeout, survived,
         no coverage, compile error, and score = killed / (killed + timeout + survived + no coverage).
         A stage-2 Timeout, and a stage-2 "Survived" whose session ran to its timeout (from --log, Stryker 5.1.0 reports
         such a session as success), are listed as timeouts for checking by hand; they are not kills.
         With comma-separated reports (stage 2 in steps, e.g. 2cs then 2fs) a mutant is killed when any step killed it,
         and otherwise has the status of the last step that tested it; --log then takes the steps' logs in the same order.
--settle-log does the same from stage 2's debug log alone, for a stage 2 that was stopped before writing its report
         (stage 2 runs one mutant per session, so the log has one result line per mutant; mutant ids are the same in
         every run at one commit). A mutant without a result line is "not re-tested".
"""
import json, re, sys, collections


def load(paths):
    """The files of one report, or of several (comma-separated: an area's stage-1 chunks, or every area's). Chunks may
    split one file by character spans: each mutant then keeps the status of the report that tested it (every run at one
    commit creates the same mutants with the same ids; outside its spans a run marks them Ignored). A file outside a
    run's -m filter is listed in its report with no mutants."""
    files = {}
    for path in paths.split(','):
        for name, f in json.load(open(path))['files'].items():
            if not files.get(name, {}).get('mutants'):  # a file outside an earlier report's -m filter has no mutants there
                files[name] = f
                continue
            tested = {m['id']: m for m in f['mutants'] if m['status'] != 'Ignored'}
            files[name]['mutants'] = [tested.get(m['id'], m) for m in files[name]['mutants']]
    return files


def offsets(source):
    starts, pos = [], 0
    for line in source.split('\n'):
        starts.append(pos)
        pos += len(line) + 1
    return starts


def key(rel, m):
    s, e = m['location']['start'], m['location']['end']
    return (rel, s['line'], s['column'], e['line'], e['column'], m['mutatorName'], m.get('replacement', ''))


def rel(path):
    return path.split('src/LogitRank/')[-1]


def open_mutants(files):
    for path, f in files.items():
        for m in f['mutants']:
            if m['status'] in ('Survived', 'NoCoverage', 'Timeout', 'RuntimeError'):
                yield path, f, m


def main():
    a = sys.argv
    s1 = load(a[1])
    if '--args' in a:
        seen = set()
        for path, f, m in open_mutants(s1):
            if '--except-timeouts' in a and m['status'] == 'Timeout':
                continue  # a session that ran to its limit: argued a hang or counted as survived, not re-tested
            if '--only' in a and not rel(path).startswith(tuple(a[a.index('--only') + 1].split(','))):
                continue  # another file's mutant (the report holds several areas)
            st = offsets(f['source'])
            s, e = m['location']['start'], m['location']['end']
            b, c = st[s['line'] - 1] + s['column'] - 1, st[e['line'] - 1] + e['column'] - 1
            arg = f'**/{rel(path)}{{{b}..{c}}}'
            if arg not in seen:
                seen.add(arg)
                print('-m'); print(arg)
        return
    steps = [load(r) for r in a[a.index('--settle') + 1].split(',')] if '--settle' in a else [{}]  # one report per step
    logpaths = (a[a.index('--log') + 1] if '--log' in a else a[a.index('--settle-log') + 1] if '--settle-log' in a else '').split(',')
    logpaths += [''] * (len(steps) - len(logpaths))
    stepdurations = [read_log(lp) for lp in logpaths[:len(steps)]]
    logstatus = stepdurations[0][1]
    index2 = []
    for s2 in steps:
        ix = {}
        for path, f in s2.items():
            for m in f['mutants']:
                ix[key(rel(path), m)] = m
        index2.append(ix)
    settle(s1, index2, [d for d, _ in stepdurations], logstatus, a)


def sec(t):
    """Seconds since 2000-01-01 of a log time 'YYYY-MM-DD' or 'YY-MM-DD' or 'YYYY/MM/DD', then 'HH:MM:SS.f' (a run may
    cross midnight: Stryker then starts a second day's log, log-YYYYMMDD.txt, in the same folder)."""
    import datetime
    day, time = t
    y, mo, d = (int(x) for x in re.split(r'[-/]', day))
    h, mi, s = time.split(':')
    days = (datetime.date(y if y > 100 else 2000 + y, mo, d) - datetime.date(2000, 1, 1)).days
    return days * 86400 + int(h) * 3600 + int(mi) * 60 + float(s)


def read_log(logpath):
    """Each session's duration, limit, start and end, from Stryker's debug log: logpath and the other days' logs of the
    same run (log-*.txt beside it). A session starts at its "Testing [id]" line (coverage analysis on) or, with
    coverage off (no such line), at the runner's "Using N ms as test run timeout" line that follows the previous result."""
    import glob, os
    durations, logstatus = {}, {}
    if logpath:
        paths = sorted(glob.glob(os.path.join(os.path.dirname(logpath) or '.', 'log-*.txt'))) or [logpath]
        text = ''.join(open(p, errors='replace').read() for p in paths)
        for i in re.findall(r'Mutant (\d+) is not covered by any test', text):
            logstatus[int(i)] = 'NoCoverage'
        for i, st in re.findall(r'Test run for "(\d+): [^"]*" is "(\w+)"', text):
            logstatus[int(i)] = {'failed': 'Killed', 'success': 'Survived'}.get(st, st)
        started, limit, cur, pending = {}, {}, {}, None
        stamp = r'(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d\.\d+)\S*'
        for line in text.splitlines():
            m = re.match(stamp + r'\s+\[DBG\] "(Runner \d+)": Testing \["(\d+):', line)
            if m:
                started[int(m.group(4))] = sec(m.group(1, 2)); cur[m.group(3)] = int(m.group(4)); continue
            m = re.match(stamp + r'\s+\[DBG\] "(Runner \d+)": Using (\d+) ms as test run timeout', line)
            if m and m.group(3) in cur:
                limit[cur[m.group(3)]] = int(m.group(4)) / 1000; continue
            if m:
                pending = (sec(m.group(1, 2)), int(m.group(4)) / 1000); continue
            m = re.match(stamp + r'\s+\[DBG\] Test run for "(\d+): [^"]*" is "(\w+)"', line)
            if m and int(m.group(3)) not in started and pending and not cur:
                started[int(m.group(3))], limit[int(m.group(3))] = pending
            if m and int(m.group(3)) in started:
                i = int(m.group(3))
                durations[i] = (sec(m.group(1, 2)) - started[i], limit.get(i), started[i], sec(m.group(1, 2)))
            if m:
                pending = None
        host_failures(logpath, durations)
    return durations, logstatus


def host_failures(logpath, durations):
    """Adds to each session the tests that its test host logged as failed ([FAIL] lines of the vstest host logs beside
    Stryker's log, `Runner 0-log.host.YY-MM-DD_HH-MM-SS_fffff_N.txt`, started within the session's window).

    Stryker 5.1.0 stops a test host as soon as a test fails (bail). Sometimes the host exits before the failure reaches
    vstest.console: the run is reported "aborted, test host crashed", the session "success" with tests not run, and
    the mutant Timeout after a session of a second or two. The host's own log still shows the failed test; when the
    host died before writing it, vstest.console's log ("Aborting test run because Test host process crashed") shows
    that the run did not pass."""
    import glob, os
    hosts = []
    for h in glob.glob(os.path.join(os.path.dirname(logpath), 'Runner 0-log.host.*.txt')):
        m = re.search(r'host\.(\d\d-\d\d-\d\d)_(\d\d)-(\d\d)-(\d\d)_(\d+)_', h)
        if m:
            hosts.append((sec((m.group(1), f'{m.group(2)}:{m.group(3)}:{m.group(4)}.{m.group(5)}')), h))
    # vstest.console's own log says when a session's test host died before reporting (bail, a crash, a stack overflow)
    crashes = []
    console = os.path.join(os.path.dirname(logpath), 'Runner 0-log.txt')
    if os.path.exists(console):
        for t in re.findall(r', (\d{4}/\d\d/\d\d), (\d\d:\d\d:\d\d\.\d+), .*Aborting test run because Test host process crashed',
                            open(console, errors='replace').read()):
            crashes.append(sec(t))
    for i, d in list(durations.items()):
        fails = []
        for t, h in hosts:
            if d[2] - 0.05 <= t <= d[3]:
                fails += re.findall(r'\[xUnit\.net [^\]]*\]\s+(.+?) \[FAIL\]', open(h, errors='replace').read())
        if not fails and any(d[2] <= t <= d[3] + 0.05 for t in crashes):
            fails = ['(no test reported: the test host crashed, per vstest.console\'s log)']
        durations[i] = d + (fails,)


def write_json(s1, final, a):
    """--write-json OUT: one Stryker JSON report (mutation-testing-elements schema) of every mutant of the stage-1
    reports, each with its settled status (killed by any step; a session that ran to its limit is Timeout, not killed)
    and, in statusReason, which step decided it. The header (schema version, thresholds) is the first report's."""
    import copy
    out = a[a.index('--write-json') + 1]
    report = json.load(open(a[1].split(',')[0]))
    files = {}
    for path, f in sorted(s1.items()):
        if not f['mutants']:
            continue
        g = copy.deepcopy(f)
        for m, m0 in zip(g['mutants'], f['mutants']):
            if id(m0) in final:
                m['status'], m['statusReason'] = final[id(m0)]
            m.pop('killedBy', None); m.pop('coveredBy', None)  # test ids differ between steps' reports
        files[path] = g
    report['files'] = files
    report.pop('testFiles', None)
    json.dump(report, open(out, 'w'))
    # and the same as Stryker's HTML report (its page with this report in place of the first stage-1 report's)
    import os
    template = os.path.join(os.path.dirname(a[1].split(',')[0]), 'mutation-report.html')
    if os.path.exists(template) and out.endswith('.json'):
        page = json.dumps(report).replace('<', '\\u003c')  # no "</script>" inside the script
        html = [('            app.report = ' + page + ';') if line.lstrip().startswith('app.report = ') else
                re.sub(r' sse="[^"]*"', '', line) for line in open(template).read().split('\n')]
        open(out[:-len('.json')] + '.html', 'w').write('\n'.join(html))


def short(d):
    """A session as printed: duration and limit in seconds, and the tests its host logged as failed (if any)."""
    return d and (round(d[0], 1), d[1]) + ((sorted(set(d[4])),) if len(d) > 4 and d[4] else ())


def settle(s1, index2, stepdurations, logstatus, a):
    rows = collections.OrderedDict()
    lists = collections.defaultdict(list)
    final = {}  # id(mutant of s1) -> (status, reason), for --write-json
    for path, f in sorted(s1.items()):
        r = rel(path)
        row = rows.setdefault(r, collections.Counter())
        lines = f['source'].split('\n')
        for m in f['mutants']:
            st = m['status']
            if st == 'Ignored':
                row['ignored'] += 1; continue
            row['mutants'] += 1
            if st == 'CompileError':
                row['compile error'] += 1; continue
            if st == 'Killed':
                row['killed'] += 1; row['killed in stage 1'] += 1; final[id(m)] = ('Killed', 'stage 1'); continue
            m2, durations = None, {}
            for ix, dur in zip(index2, stepdurations):  # killed by any step, else the last step that tested it
                mi = ix.get(key(r, m))
                if mi is not None and mi['status'] != 'Ignored' and (m2 is None or m2['status'] != 'Killed'):
                    m2, durations = mi, dur
            if '--settle-log' in a:
                m2 = {'id': m['id'], 'status': logstatus[int(m['id'])]} if int(m['id']) in logstatus else None
                durations = stepdurations[0]
            line = m['location']['start']['line']
            desc = (r, line, m['mutatorName'], lines[line - 1].strip()[:90], m.get('replacement', ''), m['id'])
            if m2 is None or m2['status'] == 'Ignored':
                row['not re-tested'] += 1; lists['not re-tested'].append(desc + (st,))
                final[id(m)] = (st, 'stage 1 only: not re-tested'); continue
            st2 = m2['status']
            d = durations.get(int(m2['id']))
            if st2 == 'Killed':
                row['killed'] += 1; row['killed in stage 2'] += 1; final[id(m)] = ('Killed', 'a later step')
            elif st2 in ('Timeout', 'Survived') and d and d[1] and d[0] < d[1] / 2 and d[4]:
                # a short session whose test host logged a failed test: a kill whose result Stryker lost (host_failures)
                row['killed'] += 1; row['killed in stage 2'] += 1; row['killed, from the host log'] += 1
                lists['killed, from the host log'].append(desc + (st2, d[0], d[1], sorted(set(d[4]))))
                final[id(m)] = ('Killed', f'a later step; the test host logged {sorted(set(d[4]))[0]} failed, the result was lost')
            elif st2 == 'Timeout' or (st2 == 'Survived' and d and d[1] and d[0] >= d[1] - 0.5):
                row['timeout'] += 1; lists['timeout'].append(desc + (st2, short(d)))
                final[id(m)] = ('Timeout', f'session {short(d)} s (duration, limit); counted as not killed')
            elif st2 == 'Survived':
                row['survived'] += 1; lists['survived'].append(desc + (short(d),)); final[id(m)] = ('Survived', 'every step')
            elif st2 == 'NoCoverage':
                row['no coverage'] += 1; lists['no coverage'].append(desc); final[id(m)] = ('NoCoverage', 'every step')
            elif st2 == 'CompileError':
                row['compile error'] += 1
            else:
                row[st2] += 1; lists[st2].append(desc); final[id(m)] = (st2, 'a later step')
    cols = ['mutants', 'killed', 'killed in stage 1', 'killed in stage 2', 'killed, from the host log', 'timeout', 'survived', 'no coverage',
            'compile error', 'not re-tested', 'ignored']
    print('| file | ' + ' | '.join(cols) + ' | score |')
    print('|---' * (len(cols) + 2) + '|')
    tot = collections.Counter()
    for r, row in list(rows.items()) + [('**all**', None)]:
        row = row if row is not None else tot
        if not row['mutants'] and not row['ignored']:
            continue
        if row is not tot:
            tot.update(row)
        den = row['killed'] + row['timeout'] + row['survived'] + row['no coverage'] + row['not re-tested']
        score = f"{100 * row['killed'] / den:.1f}%" if den else 'n/a'
        print(f'| `{r}` | ' + ' | '.join(str(row[c]) for c in cols) + f' | {score} |')
    if '--write-json' in a:
        write_json(s1, final, a)
    if '--list' in a:
        for k, v in lists.items():
            print(f'\n{k}:')
            for x in v:
                print('  ' + ' | '.join(str(y) for y in x))


if __name__ == '__main__':
    main()
