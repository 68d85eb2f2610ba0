using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// <see cref="NoisyParity.Label"/> checks its input: a null input is named, and a token other
/// than 0 or 1 is rejected rather than folded into the parity; valid inputs give the closed-form label.
/// </summary>
public partial class NoisyParityTests
{
    private static readonly NoisyParity Model = new([1, 1], 0.1);

    [Fact]
    public void Label_names_a_null_input()
    {
        Assert.Equal("input", Assert.Throws<ArgumentNullException>(() => Model.Label(null!)).ParamName);
    }

    [Fact]
    public void Label_rejects_a_token_outside_the_binary_alphabet()
    {
        // 2 & 1 = 0, so without the check [2, 0] would get the label 0.
        var e = Assert.Throws<ArgumentException>(() => Model.Label(Prefix.Of(2, 0)));
        Assert.Contains("Token 2 at position 0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Label_is_the_parity_of_the_secret_bits(int x1, int x2, int label)
    {
        Assert.Equal(label, Model.Label(Prefix.Of(x1, x2)));
    }
}
