using LogitRank.Learning;

namespace LogitRank.Tests.Learning;

/// <summary><see cref="LearnedModelFormatException"/>: the field it names.</summary>
public class LearnedModelFormatExceptionTests
{
    [Fact]
    public void Exception_defaults_name_an_unknown_field()
    {
        var plain = new LearnedModelFormatException();
        Assert.Equal("(unknown)", plain.Field);
        Assert.False(string.IsNullOrEmpty(plain.Message));
        Assert.Equal("(unknown)", new LearnedModelFormatException("bad").Field);
        Assert.Equal("(unknown)", new LearnedModelFormatException("bad", new InvalidOperationException()).Field);
    }

    [Fact]
    public void The_default_message_says_the_model_json_is_invalid()
    {
        var plain = new LearnedModelFormatException();
        Assert.Contains("The learned model JSON is invalid.", plain.Message, StringComparison.Ordinal);
    }
}
