using LogitRank.Sequences;

namespace LogitRank.Learning;

/// <summary>
/// The future sets of the learner (ALGORITHM.md section 3), immutable.
/// </summary>
/// <remarks>
/// <para><b>Cut indexing (the one place it is stated):</b> cuts are 0-based, <c>s = 0..T-1</c>; cut <c>s</c> holds
/// histories of length <c>s</c>. (The paper indexes from 1.)</para>
/// <para>A <i>word</i> at cut <c>s</c> is a <see cref="Prefix"/> <c>w = f∘z</c> with <c>1 &lt;= |w| &lt;= T-s</c>: a future
/// <c>f</c> (<c>|f| &lt;= T-1-s</c>) followed by one token <c>z</c>; <c>Row_h(f∘z) = ℓ(h∘f)[z]</c>.</para>
/// <para><c>F̂_s</c> starts as <c>Σ</c> (the one-token words <c>0..k-1</c>, in token order) and grows by witnesses, appended in
/// the order they are found. <c>F̃_s = F̂_s ∪ {a∘w : w ∈ F̂_{s+1}, a ∈ Σ}</c> for <c>s &lt;= T-2</c>, listed as <c>F̂_s</c> in order,
/// then for each <c>w ∈ F̂_{s+1}</c> in order the words <c>0∘w, ..., (k-1)∘w</c> not listed yet; <c>F̃_{T-1} = F̂_{T-1}</c>.
/// Since <c>F̂_{s+1} ⊇ Σ</c>, <c>F̃_s</c> holds every two-token word.</para>
/// <para>Predictions for prefixes of length <c>t &lt;= T-1</c> use cuts <c>0..t-1 &lt;= T-2</c> only, so cut <c>T-1</c> never needs a
/// basis; it exists so that <c>F̃_{T-2} = F̂_{T-2} ∪ Σ∘Σ</c>. Witnesses are only ever added at cuts <c>1..T-2</c>.</para>
/// </remarks>
public sealed class FutureSets
{
    private readonly Prefix[][] _future;
    private readonly Prefix[][] _extended;
    private readonly Dictionary<Prefix, int>[] _futureIndex;
    private readonly Dictionary<Prefix, int>[] _extendedIndex;
    private readonly Prefix[][] _extendedFutures;

    private FutureSets(int alphabetSize, int horizon, Prefix[][] future)
    {
        AlphabetSize = alphabetSize;
        Horizon = horizon;
        _future = future;
        _futureIndex = new Dictionary<Prefix, int>[horizon];
        _extended = new Prefix[horizon][];
        _extendedIndex = new Dictionary<Prefix, int>[horizon];
        _extendedFutures = new Prefix[horizon][];
        for (var s = 0; s < horizon; s++)
        {
            _futureIndex[s] = Index(future[s]);
            var list = new List<Prefix>(future[s]);
            var index = new Dictionary<Prefix, int>(_futureIndex[s]);
            if (s + 1 < horizon)
            {
                foreach (var w in future[s + 1])
                {
                    for (var a = 0; a < alphabetSize; a++)
                    {
                        var word = w.Prepend(a);
                        if (index.TryAdd(word, list.Count))
                        {
                            list.Add(word);
                        }
                    }
                }
            }

            _extended[s] = [.. list];
            _extendedIndex[s] = index;
            var futures = new List<Prefix>();
            var seen = new HashSet<Prefix>();
            foreach (var word in list)
            {
                var f = word.Take(word.Length - 1);
                if (seen.Add(f))
                {
                    futures.Add(f);
                }
            }

            _extendedFutures[s] = [.. futures];
        }
    }

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int AlphabetSize { get; }

    /// <summary>The horizon <c>T</c>; there are <c>T</c> cuts <c>0..T-1</c>.</summary>
    public int Horizon { get; }

    /// <summary>The initial future sets: <c>F̂_s = Σ</c> at every cut <c>s = 0..T-1</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c> or <c>T &lt; 1</c>.</exception>
    public static FutureSets Initial(int alphabetSize, int horizon)
    {
        Validate(alphabetSize, horizon);
        var sigma = Enumerable.Range(0, alphabetSize).Select(a => Prefix.Of(a)).ToArray();
        var future = new Prefix[horizon][];
        for (var s = 0; s < horizon; s++)
        {
            future[s] = sigma;
        }

        return new FutureSets(alphabetSize, horizon, future);
    }

    /// <summary>
    /// Future sets with the given <c>F̂_s</c> (in order). Each must start with the one-token words <c>0..k-1</c> in
    /// token order, hold no duplicate, and only words of length <c>1..T-s</c> over the alphabet.
    /// </summary>
    /// <exception cref="ArgumentException">A set violates the rules; the message names the cut and the word.</exception>
    public static FutureSets FromFutureSets(int alphabetSize, int horizon, IReadOnlyList<IReadOnlyList<Prefix>> futureSets)
    {
        Validate(alphabetSize, horizon);
        ArgumentNullException.ThrowIfNull(futureSets);
        if (futureSets.Count != horizon)
        {
            throw new ArgumentException($"Expected T = {horizon} future sets (cuts 0..{horizon - 1}); got {futureSets.Count}.", nameof(futureSets));
        }

        var future = new Prefix[horizon][];
        for (var s = 0; s < horizon; s++)
        {
            var set = futureSets[s] ?? throw new ArgumentException($"Future set of cut {s} is null.", nameof(futureSets));
            if (set.Count < alphabetSize)
            {
                throw new ArgumentException($"F̂_{s} has {set.Count} words; it must contain the {alphabetSize} one-token words.", nameof(futureSets));
            }

            var seen = new HashSet<Prefix>();
            for (var j = 0; j < set.Count; j++)
            {
                var w = set[j];
                if (j < alphabetSize && (w.Length != 1 || w[0] != j))
                {
                    throw new ArgumentException($"F̂_{s}[{j}] is {w}; the first k words must be the one-token words [0]..[{alphabetSize - 1}] in order.", nameof(futureSets));
                }

                ValidateWord(alphabetSize, horizon, s, w, nameof(futureSets));
                if (!seen.Add(w))
                {
                    throw new ArgumentException($"F̂_{s} lists the word {w} twice.", nameof(futureSets));
                }
            }

            future[s] = [.. set];
        }

        return new FutureSets(alphabetSize, horizon, future);
    }

    /// <summary><c>F̂_s</c>: the constrained words at cut <paramref name="cut"/>, in order.</summary>
    public IReadOnlyList<Prefix> Future(int cut) => _future[CheckCut(cut)];

    /// <summary><c>F̃_s</c>: the words on which rows at cut <paramref name="cut"/> are stored, in order.</summary>
    public IReadOnlyList<Prefix> Extended(int cut) => _extended[CheckCut(cut)];

    /// <summary>
    /// The distinct futures <c>f</c> of the words <c>f∘z ∈ F̃_s</c>, in order of first appearance: a row on <c>F̃_s</c> costs one
    /// query per element (<c>h∘f</c>).
    /// </summary>
    public IReadOnlyList<Prefix> ExtendedFutures(int cut) => _extendedFutures[CheckCut(cut)];

    /// <summary>Whether <paramref name="word"/> is in <c>F̂_s</c>.</summary>
    public bool ContainsFuture(int cut, Prefix word) => _futureIndex[CheckCut(cut)].ContainsKey(word);

    /// <summary>The position of <paramref name="word"/> in <c>F̃_s</c>, or <c>-1</c>.</summary>
    public int IndexInExtended(int cut, Prefix word) => _extendedIndex[CheckCut(cut)].TryGetValue(word, out var i) ? i : -1;

    /// <summary>
    /// These future sets with <paramref name="word"/> appended to <c>F̂_s</c> (a witness); unchanged (the same instance)
    /// when it is already there.
    /// </summary>
    /// <exception cref="ArgumentException">The word has a length outside <c>1..T-s</c> or a token outside the alphabet.</exception>
    public FutureSets WithWitness(int cut, Prefix word)
    {
        CheckCut(cut);
        ValidateWord(AlphabetSize, Horizon, cut, word, nameof(word));
        if (_futureIndex[cut].ContainsKey(word))
        {
            return this;
        }

        var future = (Prefix[][])_future.Clone();
        future[cut] = [.. _future[cut], word];
        return new FutureSets(AlphabetSize, Horizon, future);
    }

    /// <summary>Whether both hold the same <c>F̂_s</c> (in the same order) at every cut.</summary>
    public bool SameAs(FutureSets other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.AlphabetSize != AlphabetSize || other.Horizon != Horizon)
        {
            return false;
        }

        for (var s = 0; s < Horizon; s++)
        {
            if (!_future[s].AsSpan().SequenceEqual(other._future[s]))
            {
                return false;
            }
        }

        return true;
    }

    private int CheckCut(int cut) =>
        cut >= 0 && cut < Horizon ? cut : throw new ArgumentOutOfRangeException(nameof(cut), cut, $"Expected a cut in 0..{Horizon - 1} (T = {Horizon}).");

    private static Dictionary<Prefix, int> Index(Prefix[] words)
    {
        var index = new Dictionary<Prefix, int>(words.Length);
        for (var i = 0; i < words.Length; i++)
        {
            index[words[i]] = i;
        }

        return index;
    }

    private static void Validate(int alphabetSize, int horizon)
    {
        SequenceGuard.AlphabetSize(alphabetSize);
        SequenceGuard.Horizon(horizon);
    }

    private static void ValidateWord(int alphabetSize, int horizon, int cut, Prefix word, string paramName)
    {
        ArgumentNullException.ThrowIfNull(word, paramName);
        if (word.Length < 1 || word.Length > horizon - cut)
        {
            throw new ArgumentException($"Word {word} has length {word.Length}; a word at cut {cut} has length 1..{horizon - cut} (T = {horizon}).", paramName);
        }

        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] >= alphabetSize)
            {
                throw new ArgumentException($"Word {word} has token {word[i]} outside the alphabet 0..{alphabetSize - 1}.", paramName);
            }
        }
    }
}
