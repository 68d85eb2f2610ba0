using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>A sampled sequence with the oracle answers seen along it.</summary>
/// <param name="Sequence">The sampled tokens <c>y_1..y_L</c>.</param>
/// <param name="Logits">Element <c>t</c> is the answer at the prefix <c>y_1..y_t</c> (<c>t = 0..L-1</c>), from which <c>y_{t+1}</c> was drawn.</param>
public sealed record SampledPath(Prefix Sequence, IReadOnlyList<LogitVector> Logits)
{
    /// <summary>The log-probability <c>Σ_t log softmax(Logits[t])[y_{t+1}]</c> of the sequence under the answers (nats).</summary>
    public double LogProbability()
    {
        var total = 0.0;
        for (var t = 0; t < Sequence.Length; t++)
        {
            total += Logits[t].LogProbability(Sequence[t]);
        }

        return total;
    }
}

/// <summary>Autoregressive sampling from the model behind a logit oracle, batched one position at a time.</summary>
public static class OracleSampler
{
    /// <summary>
    /// Draws <paramref name="count"/> independent sequences of length <paramref name="length"/> from <c>M_{1:length}</c>:
    /// at step <c>t</c> all <paramref name="count"/> current prefixes are queried in one batch and each next token is drawn
    /// from <c>softmax(ℓ(prefix))</c> with one uniform from <paramref name="random"/> (sample-major order within a step).
    /// </summary>
    /// <remarks>
    /// Exactly <paramref name="length"/> calls to <see cref="ILogitOracle.Query"/> are made (none when
    /// <paramref name="count"/> is 0), each with <paramref name="count"/> prefixes (duplicates included: put a
    /// <see cref="CachingOracle"/> in front of the oracle to query each distinct prefix once). Tokens are drawn with
    /// <see cref="SequenceModel.SampleToken"/>, one <see cref="Random.NextDouble"/> per sample per step. The result has
    /// the law of <see cref="ISequenceModel.Sample"/> truncated to <paramref name="length"/>, but not the same draws
    /// for the same seed (that method finishes one sequence before starting the next).
    /// </remarks>
    /// <param name="oracle">The oracle to sample from.</param>
    /// <param name="count">The number of sequences, <c>&gt;= 0</c>.</param>
    /// <param name="length">The length, in <c>0..T</c>.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="phase">The phase to which the queries are attributed.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="length"/> is outside <c>0..T</c>.</exception>
    /// <exception cref="InvalidOracleAnswerException">The oracle returned the wrong number of answers or a wrong-length one.</exception>
    public static IReadOnlyList<Prefix> Sample(ILogitOracle oracle, int count, int length, Random random, QueryPhase phase = QueryPhase.Sampling, CancellationToken cancellationToken = default) =>
        Run(oracle, count, length, random, phase, keepLogits: false, cancellationToken).Sequences;

    /// <summary>
    /// As <see cref="Sample"/>, also returning the answers seen along each path, so callers need not query again for
    /// log-probabilities (same queries, same random draws, so the same sequences for the same seed).
    /// </summary>
    /// <inheritdoc cref="Sample" path="/param"/>
    /// <inheritdoc cref="Sample" path="/exception"/>
    public static IReadOnlyList<SampledPath> SampleWithLogits(ILogitOracle oracle, int count, int length, Random random, QueryPhase phase = QueryPhase.Sampling, CancellationToken cancellationToken = default)
    {
        var (sequences, logits) = Run(oracle, count, length, random, phase, keepLogits: true, cancellationToken);
        var paths = new SampledPath[sequences.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            paths[i] = new SampledPath(sequences[i], logits![i]);
        }

        return paths;
    }

    private static (Prefix[] Sequences, LogitVector[][]? Logits) Run(ILogitOracle oracle, int count, int length, Random random, QueryPhase phase, bool keepLogits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (length < 0 || length > oracle.Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Expected a sample length in 0..T = 0..{oracle.Horizon}.");
        }

        var prefixes = new Prefix[count];
        Array.Fill(prefixes, Prefix.Empty);
        LogitVector[][]? logits = null;
        if (keepLogits)
        {
            logits = new LogitVector[count][];
            for (var i = 0; i < count; i++)
            {
                logits[i] = new LogitVector[length];
            }
        }

        if (count == 0)
        {
            return (prefixes, logits);
        }

        for (var t = 0; t < length; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var answers = oracle.Query(prefixes, phase, cancellationToken);
            if (answers is null || answers.Count != count)
            {
                throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, count, answers?.Count ?? -1);
            }

            var next = new Prefix[count];
            for (var i = 0; i < count; i++)
            {
                var answer = answers[i] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, prefixes[i], i, -1, oracle.AlphabetSize, -1);
                if (answer.Length != oracle.AlphabetSize)
                {
                    throw new InvalidOracleAnswerException(AnswerProblem.WrongLength, prefixes[i], i, -1, oracle.AlphabetSize, answer.Length);
                }

                if (logits is not null)
                {
                    logits[i][t] = answer;
                }

                next[i] = prefixes[i].Append(SequenceModel.SampleToken(answer.Probabilities(), random));
            }

            prefixes = next;
        }

        return (prefixes, logits);
    }
}
