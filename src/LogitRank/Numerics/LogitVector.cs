namespace LogitRank.Numerics;

/// <summary>
/// An immutable centered logit vector <c>ℓ ∈ R^k</c> with <c>Σ_z ℓ[z] = 0</c>: the centered
/// log-probabilities <c>ℓ[z] = log p(z) - (1/k) Σ_y log p(y)</c> of a next-token distribution
/// <c>p = softmax(ℓ)</c> (ALGORITHM.md section 1).
/// </summary>
/// <remarks>
/// Instances are only created through <see cref="FromLogits"/> (which centers), <see cref="FromProbabilities"/>
/// or <see cref="Uniform"/>, so every instance is centered and finite. Raw scores that differ by a constant
/// produce the same vector.
/// </remarks>
public sealed class LogitVector : IEquatable<LogitVector>
{
    private readonly double[] _values;

    private LogitVector(double[] centered) => _values = centered;

    /// <summary>Centers raw scores <paramref name="logits"/> (any additive constant) into a logit vector.</summary>
    /// <exception cref="ArgumentException">Fewer than two entries, or an entry that is NaN or infinite (the message names its index).</exception>
    public static LogitVector FromLogits(ReadOnlySpan<double> logits)
    {
        if (logits.Length < 2)
        {
            throw new ArgumentException($"A logit vector needs at least 2 entries (k >= 2); got {logits.Length}.", nameof(logits));
        }

        var scale = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (!double.IsFinite(logits[i]))
            {
                throw new ArgumentException($"Logit {i} is {logits[i]}; every logit must be finite.", nameof(logits));
            }

            scale = Math.Max(scale, Math.Abs(logits[i]));
        }

        var centered = LogSpace.Center(logits);
        Contracts.CheckCentered(centered, scale);
        return new LogitVector(centered);
    }

    /// <summary>
    /// Wraps values that are already centered, bit for bit, without re-centering (re-centering a centered vector can move
    /// an entry by an ulp). For stored answers (persistent caches, saved models) that must come back identical.
    /// </summary>
    /// <param name="centered">Finite values whose sum is 0 up to rounding: <c>|Σ x| &lt;= k · 2^-40 · max(1, max|x|)</c>.</param>
    /// <exception cref="ArgumentException">Fewer than two entries, a non-finite entry, or a sum too far from 0 (the message names it).</exception>
    public static LogitVector FromCentered(ReadOnlySpan<double> centered)
    {
        if (centered.Length < 2)
        {
            throw new ArgumentException($"A logit vector needs at least 2 entries (k >= 2); got {centered.Length}.", nameof(centered));
        }

        double sum = 0, scale = 1;
        for (var i = 0; i < centered.Length; i++)
        {
            if (!double.IsFinite(centered[i]))
            {
                throw new ArgumentException($"Logit {i} is {centered[i]}; every logit must be finite.", nameof(centered));
            }

            sum += centered[i];
            scale = Math.Max(scale, Math.Abs(centered[i]));
        }

        // Centering leaves a sum of a few ulps of the largest entry; 2^-40 relative per entry is far above that and far
        // below any real offset.
        if (Math.Abs(sum) > centered.Length * Tolerances.CenteredSumRelative * scale)
        {
            throw new ArgumentException($"The values sum to {sum}, not 0: they are not centered logits (use FromLogits to center raw scores).", nameof(centered));
        }

        return new LogitVector(centered.ToArray());
    }

    /// <summary>The centered logits of a probability vector: <c>center(log p)</c>.</summary>
    /// <exception cref="ArgumentException">An entry is not positive and finite.</exception>
    public static LogitVector FromProbabilities(ReadOnlySpan<double> probabilities)
    {
        var logs = new double[probabilities.Length];
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (!(probabilities[i] > 0) || !double.IsFinite(probabilities[i]))
            {
                throw new ArgumentException($"Probability {i} is {probabilities[i]}; every next-token probability must be positive.", nameof(probabilities));
            }

            logs[i] = Math.Log(probabilities[i]);
        }

        return FromLogits(logs);
    }

    /// <summary>The all-zero vector: the uniform distribution over <paramref name="alphabetSize"/> tokens.</summary>
    public static LogitVector Uniform(int alphabetSize) =>
        alphabetSize >= 2 ? new LogitVector(new double[alphabetSize]) : throw new ArgumentOutOfRangeException(nameof(alphabetSize), alphabetSize, "Expected k >= 2.");

    /// <summary>The alphabet size <c>k</c>.</summary>
    public int Length => _values.Length;

    /// <summary>The centered logit of token <paramref name="token"/>.</summary>
    public double this[int token] => _values[token];

    /// <summary>The centered logits as a read-only span.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Copies the centered logits into a new array.</summary>
    public double[] ToArray() => (double[])_values.Clone();

    /// <summary>The next-token distribution <c>softmax(ℓ)</c>.</summary>
    /// <exception cref="ContractViolationException">The computed distribution is not positive or not normalised (<see cref="Contracts.ProbabilitiesNormalised"/>; a bug, never expected).</exception>
    public double[] Probabilities()
    {
        var probabilities = LogSpace.Softmax(_values);
        Contracts.CheckDistribution(_values, probabilities);
        return probabilities;
    }

    /// <summary>The next-token log-probabilities <c>log softmax(ℓ)</c>.</summary>
    public double[] LogProbabilities() => LogSpace.LogSoftmax(_values);

    /// <summary><c>log p(z) = ℓ[z] - logsumexp(ℓ)</c>.</summary>
    public double LogProbability(int token) => _values[token] - LogSpace.LogSumExp(_values);

    /// <summary><c>max_z |ℓ[z] - other[z]|</c>: the sup-norm distance.</summary>
    public double MaxAbsDifference(LogitVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Length != Length)
        {
            throw new ArgumentException($"Length {other.Length} differs from {Length}.", nameof(other));
        }

        var max = 0.0;
        for (var i = 0; i < _values.Length; i++)
        {
            max = Math.Max(max, Math.Abs(_values[i] - other._values[i]));
        }

        return max;
    }

    /// <summary>Exact value equality of the entries.</summary>
    public bool Equals(LogitVector? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LogitVector);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _values)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "(" + string.Join(", ", _values.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + ")";
}
