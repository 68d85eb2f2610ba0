using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <content>
/// Writing tables (<see cref="TargetTable.Save"/>, <see cref="TargetTable.SaveFile"/>) and reading files
/// (<see cref="TargetTable.LoadFile"/>): arguments are checked by name, and a model over the row limit is refused before
/// anything is written or any file is created; a limit equal to the row count is allowed.
/// </content>
public partial class TargetTableTests
{
    private static string TempTablePath() => Path.Combine(Path.GetTempPath(), $"table-{Guid.NewGuid():N}.json");

    [Fact]
    public void Save_names_a_null_model()
    {
        using var stream = new MemoryStream();
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => TargetTable.Save(null!, stream)).ParamName);
    }

    [Fact]
    public void Save_refuses_a_model_over_the_row_limit_before_writing_anything()
    {
        // k = 2, T = 2: the rows "", "0", "1"; a limit of 2 is one short.
        var model = TabularModel.Random(2, 2, seed: 1);
        using var stream = new MemoryStream();
        var e = Assert.Throws<TableTooLargeException>(() => TargetTable.Save(model, stream, maxPrefixes: 2));
        Assert.Equal(2, e.Limit);
        Assert.Equal(3, (long)e.Prefixes);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void A_table_of_exactly_the_row_limit_is_saved_and_loaded()
    {
        // k = 2, T = 3 has 1 + 2 + 4 = 7 rows: a limit of 7 allows it on both sides, 6 does not.
        var model = TabularModel.Random(2, 3, seed: 4);
        using var stream = new MemoryStream();
        TargetTable.Save(model, stream, maxPrefixes: 7);
        stream.Position = 0;
        var loaded = TargetTable.Load(stream, maxPrefixes: 7);

        // One log-softmax and one centering of values of size <= 2: a few ulps; 1e-13 is far above that and far below any
        // wrong row (the random rows differ by O(1)).
        Assert.All(SequenceSpace.AllUpTo(2, 2), h => Assert.True(loaded.NextTokenLogits(h).MaxAbsDifference(model.NextTokenLogits(h)) <= 1e-13));
        stream.Position = 0;
        Assert.Equal(6, Assert.Throws<TableTooLargeException>(() => TargetTable.Load(stream, maxPrefixes: 6)).Limit);
    }

    [Fact]
    public void SaveFile_writes_a_table_that_LoadFile_reads_back()
    {
        var model = TimeVaryingIsan.Random(3, 3, 2, seed: 6, logitScale: 2);
        var path = TempTablePath();
        try
        {
            TargetTable.SaveFile(model, path, name: "isan-k3-T3");
            var loaded = TargetTable.LoadFile(path);
            Assert.Equal(3, loaded.AlphabetSize);
            Assert.Equal(3, loaded.Horizon);

            // As for Save then Load: a few ulps of values of size <= ~8.
            Assert.All(SequenceSpace.AllUpTo(3, 2), h => Assert.True(loaded.NextTokenLogits(h).MaxAbsDifference(model.NextTokenLogits(h)) <= 1e-13));
            Assert.Contains("\"name\":\"isan-k3-T3\"", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SaveFile_refuses_a_model_over_the_row_limit_without_creating_the_file()
    {
        var model = TabularModel.Random(2, 2, seed: 1);
        var path = TempTablePath();
        try
        {
            Assert.Equal(2, Assert.Throws<TableTooLargeException>(() => TargetTable.SaveFile(model, path, maxPrefixes: 2)).Limit);
            Assert.False(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void A_blank_file_path_is_rejected_by_name(string path)
    {
        // A blank name is not a file: refused with ArgumentException itself (not a file-system error such as
        // FileNotFoundException for a file named "   ").
        var model = TabularModel.Random(2, 2, seed: 1);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => TargetTable.LoadFile(path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => TargetTable.SaveFile(model, path)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => TargetTable.LoadFile(null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => TargetTable.SaveFile(model, null!)).ParamName);
    }
}
