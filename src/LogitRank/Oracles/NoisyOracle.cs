using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// An approximate oracle for tests and experiments: answers <c>ℓ(h) + e(h)</c> where the perturbation <c>e(h)</c> is a
/// centered vector with every entry in <c>[-ξ, ξ]</c>, a deterministic function of <c>(seed, h)</c>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Construction: a SplitMix64 stream seeded by a stable hash of <c>(seed, |h|, h_1..h_t)</c> gives <c>k</c> uniforms
/// <c>u_z ∈ [-1, 1)</c>; the perturbation is <c>e_z = (ξ/2)(u_z - ū)</c> with <c>ū</c> their mean. It sums to 0, so the
/// answer stays centered; and since <c>u_z</c> and <c>ū</c> both lie in <c>[-1, 1]</c>, <c>|u_z - ū| &lt;= 2</c>, so
/// <c>|e_z| &lt;= ξ</c> (up to floating-point rounding of a few ulps of <c>|ℓ| + ξ</c>). The same prefix gets the same
/// perturbation in every instance, process and machine with the same seed, so the noisy oracle is itself a fixed oracle,
/// as the analysis requires; answers are new <see cref="LogitVector"/> instances per call (cache for identity).
/// With <c>ξ = 0</c> the inner answers are returned unchanged.
/// </para>
/// </remarks>
public sealed class NoisyOracle : ILogitOracle
{
    private readonly ILogitOracle _inner;

    /// <summary>Perturbs the answers of <paramref name="inner"/> by at most <paramref name="xi"/> per coordinate.</summary>
    /// <param name="inner">The exact (or less noisy) oracle.</param>
    /// <param name="xi">The accuracy <c>ξ &gt;= 0</c> (nats).</param>
    /// <param name="seed">Selects the perturbation function.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="xi"/> is negative or not finite.</exception>
    public NoisyOracle(ILogitOracle inner, double xi, int seed)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        if (!(xi >= 0) || !double.IsFinite(xi))
        {
            throw new ArgumentOutOfRangeException(nameof(xi), xi, "Expected a finite noise level ξ >= 0.");
        }

        Xi = xi;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int AlphabetSize => _inner.AlphabetSize;

    /// <inheritdoc/>
    public int Horizon => _inner.Horizon;

    /// <summary>The decorated oracle.</summary>
    public ILogitOracle Inner => _inner;

    /// <summary>The accuracy <c>ξ</c>: every coordinate of an answer is within <c>ξ</c> of the inner answer.</summary>
    public double Xi { get; }

    /// <summary>The seed of the perturbation function.</summary>
    public int Seed { get; }

    /// <summary>The perturbation <c>e(h)</c> added at <paramref name="prefix"/>: centered, entries in <c>[-ξ, ξ]</c>.</summary>
    public double[] Perturbation(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var k = AlphabetSize;
        var e = new double[k];
        if (Xi == 0)
        {
            return e;
        }

        var state = StableHash.Of(Seed, prefix.Tokens);
        var mean = 0.0;
        for (var z = 0; z < k; z++)
        {
            e[z] = (2 * StableHash.NextDouble(ref state)) - 1;
            mean += e[z];
        }

        mean /= k;
        var scale = Xi / 2;
        for (var z = 0; z < k; z++)
        {
            e[z] = scale * (e[z] - mean);
        }

        return e;
    }

    /// <inheritdoc/>
    public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var answers = _inner.Query(prefixes, phase, cancellationToken);
        if (Xi == 0)
        {
            return answers;
        }

        if (answers is null || answers.Count != prefixes.Count)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, prefixes.Count, answers?.Count ?? -1);
        }

        var result = new LogitVector[answers.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var answer = answers[i] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, prefixes[i], i, -1, AlphabetSize, -1);
            if (answer.Length != AlphabetSize)
            {
                throw new InvalidOracleAnswerException(AnswerProblem.WrongLength, prefixes[i], i, -1, AlphabetSize, answer.Length);
            }

            var e = Perturbation(prefixes[i]);
            for (var z = 0; z < e.Length; z++)
            {
                e[z] += answer[z];
            }

            result[i] = LogitVector.FromLogits(e);
        }

        return result;
    }
}
