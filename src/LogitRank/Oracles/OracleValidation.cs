using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Oracles;

/// <summary>
/// Checks of oracle requests and answers, shared by <see cref="ValidatingOracle"/>, <see cref="RawLogitOracle"/> and
/// adapters. Every failure is a typed <see cref="OracleException"/> whose message names the prefix and the problem.
/// </summary>
public static class OracleValidation
{
    /// <summary>Checks that every prefix has length at most <c>T-1</c> and tokens in <c>0..k-1</c>.</summary>
    /// <param name="prefixes">The batch.</param>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <exception cref="InvalidQueryException">The first bad prefix of the batch (null, too long, or with a token out of range).</exception>
    public static void ValidateQuery(IReadOnlyList<Prefix> prefixes, int alphabetSize, int horizon)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i];
            if (prefix is null)
            {
                throw new InvalidQueryException(QueryProblem.NullPrefix, null, i, -1, -1, alphabetSize, horizon);
            }

            if (prefix.Length > horizon - 1)
            {
                throw new InvalidQueryException(QueryProblem.TooLong, prefix, i, -1, -1, alphabetSize, horizon);
            }

            var tokens = prefix.Tokens;
            for (var p = 0; p < tokens.Length; p++)
            {
                if ((uint)tokens[p] >= (uint)alphabetSize)
                {
                    throw new InvalidQueryException(QueryProblem.TokenOutOfRange, prefix, i, p, tokens[p], alphabetSize, horizon);
                }
            }
        }
    }

    /// <summary>Checks one answer per prefix, each of length <c>k</c> with finite entries.</summary>
    /// <exception cref="InvalidOracleAnswerException">The first problem found (count, null, length, NaN, ±∞).</exception>
    public static void ValidateAnswers(IReadOnlyList<Prefix> prefixes, IReadOnlyList<LogitVector>? answers, int alphabetSize)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        CheckCount(prefixes.Count, answers?.Count);
        for (var i = 0; i < prefixes.Count; i++)
        {
            var answer = answers![i] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, prefixes[i], i, -1, alphabetSize, -1);
            CheckEntries(prefixes[i], i, answer.Values, alphabetSize);
        }
    }

    /// <summary>
    /// Checks raw scores (one array of <c>k</c> finite numbers per prefix, any additive constant) and centers them into
    /// logit vectors: how adapters turn an engine's output into answers.
    /// </summary>
    /// <exception cref="InvalidOracleAnswerException">The first problem found (count, null, length, NaN, ±∞), naming the prefix.</exception>
    public static LogitVector[] ToLogitVectors(IReadOnlyList<Prefix> prefixes, IReadOnlyList<double[]>? rawScores, int alphabetSize)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        CheckCount(prefixes.Count, rawScores?.Count);
        var result = new LogitVector[prefixes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var raw = rawScores![i] ?? throw new InvalidOracleAnswerException(AnswerProblem.NullAnswer, prefixes[i], i, -1, alphabetSize, -1);
            CheckEntries(prefixes[i], i, raw, alphabetSize);
            result[i] = LogitVector.FromLogits(raw);
        }

        return result;
    }

    private static void CheckCount(int expected, int? actual)
    {
        if (actual != expected)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongCount, null, -1, -1, expected, actual ?? -1);
        }
    }

    private static void CheckEntries(Prefix prefix, int index, ReadOnlySpan<double> values, int alphabetSize)
    {
        if (values.Length != alphabetSize)
        {
            throw new InvalidOracleAnswerException(AnswerProblem.WrongLength, prefix, index, -1, alphabetSize, values.Length);
        }

        for (var z = 0; z < values.Length; z++)
        {
            if (double.IsNaN(values[z]))
            {
                throw new InvalidOracleAnswerException(AnswerProblem.NaN, prefix, index, z, -1, -1, values[z]);
            }

            if (double.IsInfinity(values[z]))
            {
                throw new InvalidOracleAnswerException(AnswerProblem.Infinite, prefix, index, z, -1, -1, values[z]);
            }
        }
    }
}
