using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// <see cref="LearnedModel"/> checks what it is given by name: a prefix longer than <c>T - 1</c> passed to
/// <see cref="LearnedModel.Reconstruct"/> or <see cref="LearnedModel.IsFeasible"/>, bases listed out of cut order, and a
/// negative memo capacity.
/// </summary>
public partial class LearnedModelTests
{
    [Fact]
    public void Reconstruct_and_is_feasible_reject_a_prefix_of_length_T_by_parameter_name()
    {
        var m = HandModel(FallbackPolicy.Uniform); // T = 3: prefixes of length <= 2.
        var tooLong = Prefix.Of(0, 0, 0);
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => m.Reconstruct(tooLong)).ParamName);
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => m.IsFeasible(tooLong)).ParamName);
        Assert.Equal("prefix", Assert.Throws<ArgumentException>(() => m.LpResidual(tooLong)).ParamName);
    }

    [Fact]
    public void Bases_out_of_cut_order_are_rejected_naming_the_cut()
    {
        // Cuts 1 and 2 swapped, each with the width the other cut's future set needs, so only the cut check can fail.
        var futures = FutureSets.Initial(2, 3);
        var bases = new[]
        {
            new CutBasis(0, 6, [Prefix.Empty], [[0.5, -0.5, 1.0, 0.15, -1.0, -0.15]]),
            new CutBasis(2, futures.Extended(1).Count, [], []),
            new CutBasis(1, futures.Extended(2).Count, [], []),
        };
        var e = Assert.Throws<ArgumentException>(() => new LearnedModel(futures, bases, new LearnedModelOptions(2.0, 1e-6, FallbackPolicy.Uniform)));
        Assert.Equal("bases", e.ParamName);
        Assert.Contains("bases[1] is for cut 2; expected cut 1.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_memo_capacity_is_rejected_by_parameter_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HandModel(FallbackPolicy.Uniform).WithMemoCapacity(-1));
        Assert.Equal("memoCapacity", e.ParamName);
        Assert.Equal(-1, e.ActualValue);
    }
}
