using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>Cache statistics: a snapshot.</summary>
/// <param name="Entries">The prefixes with a stored answer.</param>
/// <param name="Hits">Requested prefixes answered without being forwarded by their call (a stored answer, a duplicate
/// earlier in the same batch, or an answer another thread was fetching).</param>
/// <param name="Misses">Prefixes forwarded to the inner oracle (and answered).</param>
public readonly record struct CacheStatistics(int Entries, long Hits, long Misses);

/// <summary>
/// A decorator that remembers every answer in a hash map keyed by prefix: a repeated query returns the identical
/// <see cref="LogitVector"/> instance and does not reach the inner oracle (ALGORITHM.md: "repeating a query MUST
/// return the same answer"). Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// A call looks every prefix up; the misses (each distinct prefix once, in order of first occurrence) go to the inner
/// oracle in a single batch with the caller's phase, and their answers are stored. A prefix that another thread is
/// fetching at the same moment is not forwarded again: the call waits for that answer, so across threads every prefix
/// reaches the inner oracle at most once (unless that thread's batch fails, in which case the waiting call fetches it
/// itself). If the inner oracle throws, nothing from that batch is stored and the exception propagates.
/// </para>
/// <para>
/// One entry per stored or requested prefix, found by the prefix's precomputed hash (one lookup, whatever the prefix's
/// length or the alphabet's size); the misses of one call share one completion signal for the threads that wait on them.
/// Tokens are not checked against the alphabet here: wrap the cache in a <see cref="ValidatingOracle"/> for that.
/// </para>
/// </remarks>
public sealed class CachingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;
    private readonly Lock _gate = new();
    private readonly Dictionary<Prefix, Node> _nodes = [];
    private int _entries;
    private long _hits;
    private long _misses;

    /// <summary>Caches the answers of <paramref name="inner"/>.</summary>
    public CachingOracle(ILogitOracle inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <summary>The number of stored answers.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries;
            }
        }
    }

    /// <summary>Requested prefixes answered without being forwarded by their call (see <see cref="CacheStatistics.Hits"/>).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Prefixes forwarded to the inner oracle and answered.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>A snapshot of entries, hits and misses.</summary>
    public CacheStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new CacheStatistics(_entries, Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
            }
        }
    }

    /// <summary>Looks up a stored answer without querying or counting.</summary>
    /// <returns>True with the stored instance, or false with null.</returns>
    public bool TryGet(Prefix prefix, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LogitVector? logits)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            logits = Find(prefix)?.Value;
            return logits is not null;
        }
    }

    /// <summary>
    /// Stores an answer obtained elsewhere (a persistent cache warming this one). An existing entry is kept: the
    /// oracle is fixed, so the first answer stays the answer.
    /// </summary>
    /// <returns>True when the entry was added, false when <paramref name="prefix"/> already had an answer.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> does not have length <c>k</c>.</exception>
    public bool Add(Prefix prefix, LogitVector logits)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Length != AlphabetSize)
        {
            throw new ArgumentException($"The answer for prefix {prefix} has length {logits.Length}; expected k = {AlphabetSize}.", nameof(logits));
        }

        lock (_gate)
        {
            var node = GetOrCreate(prefix);
            if (node.Value is not null)
            {
                return false;
            }

            // An answer being fetched by a query will be stored by that query; a preloaded one wins meanwhile.
            node.Value = logits;
            _entries++;
            return true;
        }
    }

    /// <summary>Stores many answers (see <see cref="Add"/>).</summary>
    /// <returns>The number of entries added.</returns>
    public int Preload(IEnumerable<KeyValuePair<Prefix, LogitVector>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var added = 0;
        foreach (var (prefix, logits) in entries)
        {
            if (Add(prefix, logits))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>
    /// A snapshot of the stored entries, in depth-first order of the prefix tree: lexicographic by token, a prefix before
    /// its extensions.
    /// </summary>
    public IReadOnlyList<KeyValuePair<Prefix, LogitVector>> Entries()
    {
        var list = new List<KeyValuePair<Prefix, LogitVector>>();
        lock (_gate)
        {
            foreach (var (prefix, node) in _nodes)
            {
                if (node.Value is not null)
                {
                    list.Add(new(prefix, node.Value));
                }
            }
        }

        list.Sort((x, y) => x.Key.Tokens.SequenceCompareTo(y.Key.Tokens));
        return list;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOracleAnswerException">The inner oracle returned the wrong number of answers, or a null or wrong-length one.</exception>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var n = prefixes.Count;
        var result = new LogitVector[n];
        List<Prefix>? forward = null;
        List<Node>? forwardNodes = null;
        Dictionary<Node, int>? own = null;
        int[]? fromForward = null;
        List<(int Index, Task<LogitVector?> Task)>? waits = null;
        Batch? batch = null;
        long hits = 0;

        // Check the whole batch before marking anything in flight: a throw half-way through the marking loop would
        // leave prefixes marked that nobody fetches, and later queries for them would wait forever.
        for (var i = 0; i < n; i++)
        {
            if (prefixes[i] is null)
            {
                throw new ArgumentException($"Query {i} of the batch is a null prefix.", nameof(prefixes));
            }
        }

        lock (_gate)
        {
            for (var i = 0; i < n; i++)
            {
                var prefix = prefixes[i];
                var node = GetOrCreate(prefix);
                if (node.Value is not null)
                {
                    result[i] = node.Value;
                    hits++;
                }
                else if (own is not null && own.TryGetValue(node, out var j))
                {
                    (fromForward ??= NewIndexArray(n))[i] = j;
                    hits++;
                }
                else if (node.InFlight is not null)
                {
                    (waits ??= []).Add((i, node.InFlight.Answer(node.InFlightIndex)));
                }
                else
                {
                    forward ??= [];
                    forwardNodes ??= [];
                    own ??= new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
                    batch ??= new Batch();
                    node.InFlight = batch;
                    node.InFlightIndex = forward.Count;
                    own[node] = forward.Count;
                    (fromForward ??= NewIndexArray(n))[i] = forward.Count;
                    forward.Add(prefix);
                    forwardNodes.Add(node);
                }
            }
        }

        if (forward is not null)
        {
            var answers = Forward(forward, forwardNodes!, batch!, phase, cancellationToken);
            for (var i = 0; i < n; i++)
            {
                if (fromForward![i] >= 0)
                {
                    result[i] = answers[fromForward[i]];
                }
            }
        }

        if (waits is not null)
        {
            List<int>? retry = null;
            foreach (var (index, task) in waits)
            {
                task.Wait(cancellationToken);
                if (task.Result is { } answer)
                {
                    result[index] = answer;
                    hits++;
                }
                else
                {
                    (retry ??= []).Add(index);
                }
            }

            if (retry is not null)
            {
                // The thread that was fetching these failed; fetch them ourselves (this counts their misses or hits).
                var again = Query(retry.Select(i => prefixes[i]).ToArray(), phase, cancellationToken);
                for (var j = 0; j < retry.Count; j++)
                {
                    result[retry[j]] = again[j];
                }
            }
        }

        Interlocked.Add(ref _hits, hits);
        return result;
    }

    private LogitVector[] Forward(List<Prefix> forward, List<Node> nodes, Batch batch, QueryPhase phase, CancellationToken cancellationToken)
    {
        LogitVector[] answers;
        try
        {
            answers = CheckAnswers(forward, _inner.Query(forward, phase, cancellationToken));
        }
        catch
        {
            lock (_gate)
            {
                foreach (var node in nodes)
                {
                    node.InFlight = null;
                }
            }

            batch.Complete(null);
            throw;
        }

        var stored = new LogitVector[answers.Length];
        lock (_gate)
        {
            for (var j = 0; j < answers.Length; j++)
            {
                var node = nodes[j];
                node.InFlight = null;
                if (node.Value is null)
                {
                    node.Value = answers[j];
                    _entries++;
                }

                // A concurrent Add may have stored an answer first; the stored instance is the answer.
                stored[j] = node.Value;
            }
        }

        batch.Complete(stored);
        Interlocked.Add(ref _misses, answers.Length);
        return stored;
    }

    private LogitVector[] CheckAnswers(List<Prefix> forward, IReadOnlyList<LogitVector>? answers)
    {
        if (answers is null || answers.Count != forward.Count)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, forward.Count, answers?.Count ?? -1);
        }

        var k = AlphabetSize;
        var copy = new LogitVector[answers.Count];
        for (var j = 0; j < copy.Length; j++)
        {
            var answer = answers[j] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, forward[j], j, -1, k, -1);
            if (answer.Length != k)
            {
                throw new InvalidOracleAnswerException(AnswerProblem.WrongLength, forward[j], j, -1, k, answer.Length);
            }

            copy[j] = answer;
        }

        return copy;
    }

    private static int[] NewIndexArray(int n)
    {
        var array = new int[n];
        Array.Fill(array, -1);
        return array;
    }

    private Node? Find(Prefix prefix) => _nodes.GetValueOrDefault(prefix);

    private Node GetOrCreate(Prefix prefix)
    {
        if (!_nodes.TryGetValue(prefix, out var node))
        {
            node = new Node();
            _nodes[prefix] = node;
        }

        return node;
    }

    /// <summary>The entry of one prefix: its answer once stored, or the batch fetching it.</summary>
    private sealed class Node
    {
        public LogitVector? Value { get; set; }

        public Batch? InFlight { get; set; }

        public int InFlightIndex { get; set; }
    }

    /// <summary>The misses of one call, fetched together: one completion for every thread that waits on any of them.</summary>
    private sealed class Batch
    {
        private readonly TaskCompletionSource<LogitVector[]?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The answer at <paramref name="index"/> once the batch is done (null when it failed).</summary>
        public Task<LogitVector?> Answer(int index) => _done.Task.ContinueWith(t => t.Result?[index], CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        /// <summary>Completes the batch with its stored answers, or with null when the inner oracle failed.</summary>
        public void Complete(LogitVector[]? answers) => _done.SetResult(answers);
    }
}
