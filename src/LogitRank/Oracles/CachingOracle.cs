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
/// A decorator that remembers every answer in a prefix trie: a repeated query returns the identical
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
/// The trie has one node per token of a stored or requested prefix; children are kept in a dictionary keyed by token,
/// so large alphabets (LLM vocabularies) cost memory only for the tokens actually seen. Tokens are not checked against
/// the alphabet here: wrap the cache in a <see cref="ValidatingOracle"/> for that.
/// </para>
/// </remarks>
public sealed class CachingOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;
    private readonly Lock _gate = new();
    private readonly Node _root = new();
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
            node.Key = prefix;
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

    /// <summary>A snapshot of the stored entries, in depth-first order of the trie (shorter prefixes first along a path).</summary>
    public IReadOnlyList<KeyValuePair<Prefix, LogitVector>> Entries()
    {
        var list = new List<KeyValuePair<Prefix, LogitVector>>();
        lock (_gate)
        {
            var stack = new Stack<Node>();
            stack.Push(_root);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (node.Value is not null)
                {
                    list.Add(new(node.Key!, node.Value));
                }

                if (node.Children is not null)
                {
                    foreach (var child in node.Children.OrderByDescending(c => c.Key))
                    {
                        stack.Push(child.Value);
                    }
                }
            }
        }

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
                    (waits ??= []).Add((i, node.InFlight.Task));
                }
                else
                {
                    forward ??= [];
                    forwardNodes ??= [];
                    own ??= [];
                    node.InFlight = new TaskCompletionSource<LogitVector?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    own[node] = forward.Count;
                    (fromForward ??= NewIndexArray(n))[i] = forward.Count;
                    forward.Add(prefix);
                    forwardNodes.Add(node);
                }
            }
        }

        if (forward is not null)
        {
            var answers = Forward(forward, forwardNodes!, phase, cancellationToken);
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

    private LogitVector[] Forward(List<Prefix> forward, List<Node> nodes, QueryPhase phase, CancellationToken cancellationToken)
    {
        LogitVector[] answers;
        try
        {
            answers = CheckAnswers(forward, _inner.Query(forward, phase, cancellationToken));
        }
        catch
        {
            var failed = new List<TaskCompletionSource<LogitVector?>>(nodes.Count);
            lock (_gate)
            {
                foreach (var node in nodes)
                {
                    failed.Add(node.InFlight!);
                    node.InFlight = null;
                }
            }

            foreach (var source in failed)
            {
                source.SetResult(null);
            }

            throw;
        }

        var stored = new LogitVector[answers.Length];
        var sources = new TaskCompletionSource<LogitVector?>[answers.Length];
        lock (_gate)
        {
            for (var j = 0; j < answers.Length; j++)
            {
                var node = nodes[j];
                sources[j] = node.InFlight!;
                node.InFlight = null;
                if (node.Value is null)
                {
                    node.Value = answers[j];
                    node.Key = forward[j];
                    _entries++;
                }

                // A concurrent Add may have stored an answer first; the stored instance is the answer.
                stored[j] = node.Value;
            }
        }

        for (var j = 0; j < stored.Length; j++)
        {
            sources[j].SetResult(stored[j]);
        }

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

    private Node? Find(Prefix prefix)
    {
        var node = _root;
        foreach (var token in prefix.Tokens)
        {
            if (node.Children is null || !node.Children.TryGetValue(token, out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private Node GetOrCreate(Prefix prefix)
    {
        var node = _root;
        foreach (var token in prefix.Tokens)
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(token, out var child))
            {
                child = new Node();
                node.Children[token] = child;
            }

            node = child;
        }

        return node;
    }

    /// <summary>A trie node: the prefix spelled by the path from the root.</summary>
    private sealed class Node
    {
        public Dictionary<int, Node>? Children { get; set; }

        public LogitVector? Value { get; set; }

        public Prefix? Key { get; set; }

        public TaskCompletionSource<LogitVector?>? InFlight { get; set; }
    }
}
