using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="FutureSets.WithWitness"/> rejects a cut outside <c>0..T-1</c> with the cut's own
/// <see cref="ArgumentOutOfRangeException"/> (ParamName <c>cut</c>), before it looks at the word, and a null word, a word
/// of length outside <c>1..T-s</c> or with a token outside <c>0..k-1</c> by the word's name; the factories' checks.
/// </summary>
public partial class FutureSetsTests
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

    [Theory]
    [InlineData(new[] { 2 })]       // token k = 2 is outside 0..k-1
    [InlineData(new[] { 0, 1, 2 })] // the bad token is not the first
    public void WithWitness_rejects_a_token_outside_the_alphabet_naming_the_word(int[] tokens)
    {
        var e = Assert.Throws<ArgumentException>(() => FutureSets.Initial(2, 5).WithWitness(1, Prefix.From(tokens)));
        Assert.Equal("word", e.ParamName);
        Assert.Contains("token 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 5)] // cut 1 of T = 5 allows length <= 4
    [InlineData(3, 3)] // cut 3 allows length <= 2
    [InlineData(4, 2)] // the last cut allows length 1
    [InlineData(2, 0)] // the empty word is never a witness
    public void WithWitness_rejects_a_word_of_the_wrong_length_naming_the_word_and_the_cut(int cut, int length)
    {
        var e = Assert.Throws<ArgumentException>(() => FutureSets.Initial(2, 5).WithWitness(cut, Prefix.From(new int[length])));
        Assert.Equal("word", e.ParamName);
        Assert.Contains($"cut {cut}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithWitness_rejects_a_null_word_by_name() =>
        Assert.Equal("word", Assert.Throws<ArgumentNullException>(() => FutureSets.Initial(2, 5).WithWitness(1, null!)).ParamName);

    [Fact]
    public void Both_factories_reject_k_below_2_and_T_below_1_by_name()
    {
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => FutureSets.Initial(1, 2)).ParamName);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => FutureSets.Initial(2, 0)).ParamName);
        Assert.Equal("alphabetSize", Assert.Throws<ArgumentOutOfRangeException>(() => FutureSets.FromFutureSets(1, 1, [[Prefix.Of(0)]])).ParamName);
        Assert.Equal("horizon", Assert.Throws<ArgumentOutOfRangeException>(() => FutureSets.FromFutureSets(2, 0, [])).ParamName);
    }

    [Fact]
    public void A_null_future_set_is_named_with_its_cut()
    {
        var e = Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 2, [[Prefix.Of(0), Prefix.Of(1)], null!]));
        Assert.Equal("futureSets", e.ParamName);
        Assert.Contains("Future set of cut 1 is null.", e.Message, StringComparison.Ordinal);
    }
}
