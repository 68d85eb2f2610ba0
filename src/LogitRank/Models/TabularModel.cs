using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A model given by an explicit table of next-token logits, one centered vector per prefix of length
/// <c>0..T-1</c> (<c>(k^T - 1)/(k - 1)</c> entries). For small exact examples and as the exact
/// tabulation of any other model.
/// </summary>
public sealed class TabularModel : SequenceModel
{
    private readonly Dictionary<Prefix, LogitVector> _table;

    /// <summary>Creates a tabular model from a complete table.</summary>
    /// <exception cref="ArgumentException">A prefix of length <c>&lt;= T-1</c> is missing, a vector has the wrong length, or a key is too long or outside the alphabet.</exception>
    public TabularModel(int alphabetSize, int horizon, IReadOnlyDictionary<Prefix, LogitVector> table)
        : base(alphabetSize, horizon)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = new Dictionary<Prefix, LogitVector>(table.Count);
        foreach (var (prefix, logits) in table)
        {
            ValidatePrefix(prefix, horizon - 1, nameof(table));
            if (logits.Length != alphabetSize)
            {
                throw new ArgumentException($"The logit vector of prefix {prefix} has length {logits.Length}; expected k = {alphabetSize}.", nameof(table));
            }

            _table[prefix] = logits;
        }

        foreach (var prefix in SequenceSpace.AllUpTo(alphabetSize, horizon - 1))
        {
            if (!_table.ContainsKey(prefix))
            {
                throw new ArgumentException($"The table has no entry for prefix {prefix}; a tabular model needs every prefix of length 0..{horizon - 1}.", nameof(table));
            }
        }
    }

    /// <summary>Tabulates <paramref name="model"/>: the result has identical next-token logits at every prefix.</summary>
    public static TabularModel Tabulate(ISequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var table = SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1).ToDictionary(p => p, model.NextTokenLogits);
        return new TabularModel(model.AlphabetSize, model.Horizon, table);
    }

    /// <summary>
    /// The largest number of table rows <c>Σ_{t&lt;T} k^t</c> (prefixes of length <c>0..T-1</c>) that <see cref="Random"/>
    /// generates (<c>2^20</c>): a larger request fails at once instead of exhausting memory.
    /// </summary>
    public const long MaxRandomPrefixes = 1L << 20;

    /// <summary>The number of prefixes <c>Σ_{t&lt;T} k^t</c> of length <c>0..T-1</c>, as a double (no overflow).</summary>
    internal static double PrefixCount(int alphabetSize, int horizon)
    {
        var total = 0.0;
        var power = 1.0;
        for (var t = 0; t < horizon && double.IsFinite(total); t++)
        {
            total += power;
            power *= alphabetSize;
        }

        return total;
    }

    /// <summary>
    /// A random tabular model: every logit drawn uniformly from <c>[-scale, scale]</c>, then centered.
    /// </summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="seed">The seed of the only randomness used.</param>
    /// <param name="scale">The logit range; must be positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><c>k &lt; 2</c>, <c>T &lt; 1</c>, or the scale is not positive and finite.</exception>
    public static TabularModel Random(int alphabetSize, int horizon, int seed, double scale = 2.0)
    {
        if (alphabetSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, $"Expected an alphabet size k >= 2; got {alphabetSize}.");
        }

        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"Expected a horizon T >= 1; got {horizon}.");
        }

        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Expected a positive, finite logit scale.");
        }

        var prefixes = PrefixCount(alphabetSize, horizon);
        if (prefixes > MaxRandomPrefixes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(horizon),
                horizon,
                string.Create(CultureInfo.InvariantCulture, $"A random tabular model with k = {alphabetSize}, T = {horizon} has Σ_{{t<T}} k^t = {prefixes:G4} prefixes; expected at most MaxRandomPrefixes = {MaxRandomPrefixes}: lower k or T."));
        }

        var random = new Random(seed);
        var table = new Dictionary<Prefix, LogitVector>();
        var raw = new double[alphabetSize];
        foreach (var prefix in SequenceSpace.AllUpTo(alphabetSize, horizon - 1))
        {
            for (var z = 0; z < alphabetSize; z++)
            {
                raw[z] = scale * ((2 * random.NextDouble()) - 1);
            }

            table[prefix] = LogitVector.FromLogits(raw);
        }

        return new TabularModel(alphabetSize, horizon, table);
    }

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix) => _table[prefix];
}
