using System.Globalization;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Models;

/// <summary>
/// A deterministic perturbation of a base model: at every prefix <c>h</c> each centered logit moves by at most
/// <c>ε</c>, <c>max_z |ℓ_pert(h)[z] - ℓ_base(h)[z]| &lt;= ε</c>, and the move is a fixed pseudo-random function of
/// <c>(seed, h, z)</c>.
/// </summary>
/// <remarks>
/// <para>Construction at a prefix <c>h</c>: raw offsets <c>δ_z = ε·(2u_z - 1) ∈ [-ε, ε)</c> with
/// <c>u_z = hash(seed, h, z) ∈ [0, 1)</c> (SplitMix64 over the seed, <c>|h|</c>, the tokens of <c>h</c> and <c>z</c>; stable
/// across processes); the centered offsets <c>δ' = center(δ)</c> (which can reach <c>2ε</c> in one entry) are scaled by
/// <c>min(1, ε / max_z |δ'_z|)</c>; the result is <c>ℓ_pert(h) = center(ℓ_base(h) + δ')</c>. Because
/// <c>ℓ_base(h)</c> and <c>δ'</c> are both centered, <c>ℓ_pert(h) - ℓ_base(h) = δ'</c>, which is centered and has every
/// entry in <c>[-ε, ε]</c>.</para>
/// <para>The bound holds exactly in floating point: if rounding in the final centering pushes an entry of the computed
/// difference above <c>ε</c>, the offsets are shrunk by a factor slightly below 1 and recomputed, and in the worst case
/// the base vector itself is returned. So <see cref="LogitVector.MaxAbsDifference"/> between the two models' logits is
/// <c>&lt;= ε</c> at every prefix, with no tolerance.</para>
/// <para>Consequently, when the base model has logit rank <c>d</c> (for example a <see cref="TimeVaryingIsan"/>), the
/// perturbed model is within <c>ε</c> in every entry of every logit matrix of a rank-<c>d</c> matrix: its approximate
/// logit rank relative to the base, in the sup norm (and hence in the average error <c>ε_avg</c>), is at most <c>ε</c>.</para>
/// </remarks>
public sealed class PerturbedModel : SequenceModel
{
    private const int MaxShrinkSteps = 64;

    /// <summary>Wraps <paramref name="baseModel"/> with per-entry centered perturbations of size at most <paramref name="epsilon"/>.</summary>
    /// <param name="baseModel">The model to perturb (same alphabet and horizon).</param>
    /// <param name="epsilon">The bound <c>ε &gt;= 0</c> (finite; nats) on every centered logit change; <c>0</c> gives the base logits.</param>
    /// <param name="seed">The seed of the hash that defines the perturbation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="baseModel"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    public PerturbedModel(ISequenceModel baseModel, double epsilon, int seed)
        : base((baseModel ?? throw new ArgumentNullException(nameof(baseModel))).AlphabetSize, baseModel.Horizon)
    {
        if (!(epsilon >= 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, string.Create(CultureInfo.InvariantCulture, $"Expected a finite perturbation bound ε >= 0; got {epsilon}."));
        }

        Base = baseModel;
        Epsilon = epsilon;
        Seed = seed;
    }

    /// <summary>The unperturbed model.</summary>
    public ISequenceModel Base { get; }

    /// <summary>The bound <c>ε</c> on every centered logit change.</summary>
    public double Epsilon { get; }

    /// <summary>The seed of the perturbation hash.</summary>
    public int Seed { get; }

    /// <summary>
    /// A perturbed random ISAN: <see cref="TimeVaryingIsan.Random"/> with <paramref name="seed"/>, perturbed with hash seed
    /// <paramref name="seed"/> and bound <paramref name="epsilon"/>.
    /// </summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="horizon">The horizon <c>T &gt;= 1</c>.</param>
    /// <param name="stateDimension">The ISAN state dimension <c>d &gt;= 1</c>.</param>
    /// <param name="epsilon">The perturbation bound <c>ε &gt;= 0</c>.</param>
    /// <param name="seed">The seed of the ISAN and of the perturbation.</param>
    /// <param name="logitScale">The ISAN's bound on raw scores (see <see cref="TimeVaryingIsan.Random"/>).</param>
    public static PerturbedModel RandomIsan(int alphabetSize, int horizon, int stateDimension, double epsilon, int seed, double logitScale = 1.0) =>
        new(TimeVaryingIsan.Random(alphabetSize, horizon, stateDimension, seed, logitScale), epsilon, seed);

    /// <inheritdoc/>
    protected override LogitVector ComputeLogits(Prefix prefix)
    {
        var baseLogits = Base.NextTokenLogits(prefix);
        if (baseLogits.Length != AlphabetSize)
        {
            throw new InvalidOperationException($"The base model returned {baseLogits.Length} logits at {prefix}; expected k = {AlphabetSize}.");
        }

        if (Epsilon == 0)
        {
            return baseLogits;
        }

        var k = AlphabetSize;
        var raw = new double[k];
        for (var z = 0; z < k; z++)
        {
            raw[z] = Epsilon * ((2 * StableHash.Uniform(Seed, prefix.Tokens, z)) - 1);
        }

        var offsets = LogSpace.Center(raw);
        var largest = offsets.Max(Math.Abs);
        var factor = largest > Epsilon ? Epsilon / largest : 1.0;
        var shifted = new double[k];
        for (var step = 0; step < MaxShrinkSteps; step++)
        {
            for (var z = 0; z < k; z++)
            {
                shifted[z] = baseLogits[z] + (factor * offsets[z]);
            }

            var candidate = LogitVector.FromLogits(shifted);
            if (candidate.MaxAbsDifference(baseLogits) <= Epsilon)
            {
                return candidate;
            }

            factor *= 1 - (1.0 / 1024);
        }

        return baseLogits;
    }
}
