using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// <see cref="FutureSets.WithWitness"/> rejects a cut outside <c>0..T-1</c> with the cut's own
/// <see cref="ArgumentOutOfRangeException"/> (ParamName <c>cut</c>), before it looks at the word
/// (proofs-notes/mutation.md).
/// </summary>
public class FutureSetsMutationTests
{
    [Theory]
    [InlineData(-1)] // below the first cut: the word check alone would pass and the lookup would index -1
    [InlineData(5)]  // cut T: the word check alone would blame the word (length 1 > T - cut = 0)
    [InlineData(int.MinValue)]
    public void WithWitness_rejects_a_cut_outside_0_to_T_minus_1_naming_the_cut(int cut)
    {
        var f = FutureSets.Initial(2, 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => f.WithWitness(cut, Prefix.Of(0)));
        Assert.Equal("cut", e.ParamName);
        Assert.Equal(cut, e.ActualValue);
    }
}
