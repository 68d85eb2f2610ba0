using LogitRank.Numerics;

namespace LogitRank.Evaluation;

/// <summary>
/// The per-path sums of per-step divergences along <c>n</c> sampled paths <c>y_1..y_n</c> of length <c>T</c>, and their
/// per-step means: the statistics of the chain rule (<c>proofs-notes/chain-rule.md</c>) and of the hybrid bound
/// (<c>proofs-notes/hybrid-tv-bound.md</c>) that <see cref="MonteCarloDivergence"/> and the hold-out certifier
/// (<c>LogitRank.Certification.HoldoutCertifier</c>) both estimate.
/// </summary>
/// <remarks>
/// <para>Step <c>t</c> of path <c>i</c> contributes <c>KL_t(y_i) = KL(P(·|y_{i,1:t}) || Q(·|y_{i,1:t}))</c> and
/// <c>TV_t(y_i)</c>; the accumulator keeps <c>Σ_t KL_t(y_i)</c> and <c>Σ_t TV_t(y_i)</c> per path and <c>Σ_i KL_t(y_i)</c>,
/// <c>Σ_i TV_t(y_i)</c> per step, optionally every value. A caller may visit paths in any interleaving (path by path, or
/// step by step across all paths), but each path's steps in order <c>t = 0..T-1</c>, each exactly once: then every sum
/// is taken in the order of <c>t</c> (per path) and of <c>i</c> (per step), from 0, so its rounding does not depend on the
/// interleaving. A step out of order throws <see cref="InvalidOperationException"/>.</para>
/// </remarks>
internal sealed class PathDivergenceAccumulator
{
    private readonly double[] _pathKl;
    private readonly double[] _pathTv;
    private readonly double[] _stepKl;
    private readonly double[] _stepTv;
    private readonly int[] _nextStep;
    private readonly double[][]? _valuesKl;
    private readonly double[][]? _valuesTv;

    /// <summary>An accumulator for <paramref name="paths"/> paths of <paramref name="horizon"/> steps.</summary>
    /// <param name="paths">The number of paths <c>n &gt;= 1</c>.</param>
    /// <param name="horizon">The number of steps <c>T &gt;= 1</c> per path.</param>
    /// <param name="keepSteps">Whether to keep every per-step value (<see cref="StepKullbackLeibler"/>, <see cref="StepTotalVariation"/>).</param>
    public PathDivergenceAccumulator(int paths, int horizon, bool keepSteps = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Paths = paths;
        Horizon = horizon;
        _pathKl = new double[paths];
        _pathTv = new double[paths];
        _stepKl = new double[horizon];
        _stepTv = new double[horizon];
        _nextStep = new int[paths];
        if (keepSteps)
        {
            _valuesKl = new double[paths][];
            _valuesTv = new double[paths][];
            for (var i = 0; i < paths; i++)
            {
                _valuesKl[i] = new double[horizon];
                _valuesTv[i] = new double[horizon];
            }
        }
    }

    /// <summary>The number of paths <c>n</c>.</summary>
    public int Paths { get; }

    /// <summary>The number of steps <c>T</c> per path.</summary>
    public int Horizon { get; }

    /// <summary>Per path, <c>Σ_t KL_t(y_i)</c> over the steps added so far.</summary>
    public IReadOnlyList<double> PathKullbackLeibler => _pathKl;

    /// <summary>Per path, <c>Σ_t TV_t(y_i)</c> over the steps added so far (not clipped to <c>T</c>).</summary>
    public IReadOnlyList<double> PathTotalVariation => _pathTv;

    /// <summary>Every per-step value, <c>[i][t] = KL_t(y_i)</c>; only when constructed with <c>keepSteps</c>.</summary>
    /// <exception cref="InvalidOperationException">The values were not kept.</exception>
    public double[][] StepKullbackLeibler => _valuesKl ?? throw new InvalidOperationException("The per-step values were not kept (keepSteps: false).");

    /// <summary>Every per-step value, <c>[i][t] = TV_t(y_i)</c>; only when constructed with <c>keepSteps</c>.</summary>
    /// <exception cref="InvalidOperationException">The values were not kept.</exception>
    public double[][] StepTotalVariation => _valuesTv ?? throw new InvalidOperationException("The per-step values were not kept (keepSteps: false).");

    /// <summary>
    /// Adds step <paramref name="step"/> of path <paramref name="path"/> with <c>P</c>'s logits <paramref name="p"/> and
    /// <c>Q</c>'s logits <paramref name="q"/> there: <c>KL(softmax p || softmax q)</c> and <c>TV</c>
    /// (<see cref="SoftmaxBounds.KullbackLeibler"/>, <see cref="SoftmaxBounds.TotalVariation"/>).
    /// </summary>
    /// <returns>The step's KL and TV.</returns>
    public (double KullbackLeibler, double TotalVariation) Add(int path, int step, LogitVector p, LogitVector q)
    {
        var kl = SoftmaxBounds.KullbackLeibler(p, q);
        var tv = SoftmaxBounds.TotalVariation(p, q);
        Add(path, step, kl, tv);
        return (kl, tv);
    }

    /// <summary>Adds step <paramref name="step"/> of path <paramref name="path"/> with given values (e.g. a worst case over several distributions).</summary>
    /// <exception cref="InvalidOperationException">The path's previous step has not been added, or this one already was.</exception>
    public void Add(int path, int step, double kullbackLeibler, double totalVariation)
    {
        if (_nextStep[path] != step)
        {
            throw new InvalidOperationException($"Step {step} of path {path} added out of order; expected step {_nextStep[path]}.");
        }

        _nextStep[path]++;
        _pathKl[path] += kullbackLeibler;
        _pathTv[path] += totalVariation;
        _stepKl[step] += kullbackLeibler;
        _stepTv[step] += totalVariation;
        if (_valuesKl is not null)
        {
            _valuesKl[path][step] = kullbackLeibler;
            _valuesTv![path][step] = totalVariation;
        }
    }

    /// <summary>For <c>t = 0..T-1</c>, the mean over the <c>n</c> paths of <c>KL_t(y_i)</c>.</summary>
    /// <exception cref="InvalidOperationException">A step of some path has not been added.</exception>
    public double[] PerStepKullbackLeiblerMeans() => Means(_stepKl);

    /// <summary>For <c>t = 0..T-1</c>, the mean over the <c>n</c> paths of <c>TV_t(y_i)</c>.</summary>
    /// <exception cref="InvalidOperationException">A step of some path has not been added.</exception>
    public double[] PerStepTotalVariationMeans() => Means(_stepTv);

    private double[] Means(double[] sums)
    {
        for (var i = 0; i < Paths; i++)
        {
            if (_nextStep[i] != Horizon)
            {
                throw new InvalidOperationException($"Path {i} has {_nextStep[i]} of its {Horizon} steps; the per-step means need every step of every path.");
            }
        }

        var means = new double[sums.Length];
        for (var t = 0; t < sums.Length; t++)
        {
            means[t] = sums[t] / Paths;
        }

        return means;
    }
}
