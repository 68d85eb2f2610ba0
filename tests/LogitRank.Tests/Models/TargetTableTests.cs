using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogitRank.Evaluation;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// The <c>logitrank-target/1</c> table format (<see cref="TargetTable"/>), checked against the shared regression target
/// <c>Fixtures/isan-k4-T8-d4-s3-eps0.05.json</c>, which the test also recomputes from its provenance.
/// </summary>
public partial class TargetTableTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "isan-k4-T8-d4-s3-eps0.05.json");

    /// <summary>δ/ε of the documented hashed perturbation: u = first 8 bytes of SHA-256(key|prefix|token), big-endian; u/2^63 - 1.</summary>
    internal static double HashedUnit(string key, string prefix, int token, out ulong u)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{key}|{prefix}|{token.ToString(CultureInfo.InvariantCulture)}"));
        u = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return ((double)u / Math.Pow(2, 63)) - 1;
    }

    /// <summary>The target recomputed from the file's provenance: a time-varying ISAN plus the hashed perturbation.</summary>
    private static TabularModel FromProvenance(JsonElement provenance)
    {
        var k = provenance.GetProperty("k").GetInt32();
        var horizon = provenance.GetProperty("T").GetInt32();
        var d = provenance.GetProperty("d").GetInt32();
        static double[,] Matrix(JsonElement rows)
        {
            var r = rows.GetArrayLength();
            var c = rows[0].GetArrayLength();
            var m = new double[r, c];
            for (var i = 0; i < r; i++)
            {
                for (var j = 0; j < c; j++)
                {
                    m[i, j] = rows[i][j].GetDouble();
                }
            }

            return m;
        }

        var x0 = provenance.GetProperty("x0").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(d, x0.Length);
        var transitions = provenance.GetProperty("A").EnumerateArray().Select(step => (IReadOnlyList<double[,]>)step.EnumerateArray().Select(Matrix).ToArray()).ToArray();
        var readouts = provenance.GetProperty("B").EnumerateArray().Select(Matrix).ToArray();
        var isan = new TimeVaryingIsan(k, horizon, x0, transitions, readouts);
        var perturb = provenance.GetProperty("perturb");
        Assert.Equal("sha256-u64-v1", perturb.GetProperty("hash").GetString());
        var eps = perturb.GetProperty("eps").GetDouble();
        var key = perturb.GetProperty("key").GetString()!;
        var table = new Dictionary<Prefix, LogitVector>();
        foreach (var prefix in SequenceSpace.AllUpTo(k, horizon - 1))
        {
            // logit = B_t x_t + δ; the ISAN gives center(B_t x_t), and centering commutes with adding δ up to a constant.
            var logits = isan.NextTokenLogits(prefix).ToArray();
            for (var a = 0; a < k; a++)
            {
                logits[a] += eps * HashedUnit(key, TargetTable.Key(prefix), a, out _);
            }

            table[prefix] = LogitVector.FromLogits(logits);
        }

        return new TabularModel(k, horizon, table);
    }

    [Fact]
    public void The_hashed_perturbation_matches_the_documented_test_vector()
    {
        var unit = HashedUnit("k2T10d2s1", "0,1", 1, out var u);
        Assert.Equal(17307737522749494938UL, u);
        Assert.Equal(0.8765086622973886, unit, 15);
    }

    [Fact]
    public void The_loader_reproduces_the_regression_table_and_its_provenance()
    {
        var loaded = TargetTable.LoadFile(Fixture);
        Assert.Equal(4, loaded.AlphabetSize);
        Assert.Equal(8, loaded.Horizon);

        using var document = JsonDocument.Parse(File.ReadAllText(Fixture));
        var rows = document.RootElement.GetProperty("logprobs");
        Assert.Equal(SequenceSpace.CountUpTo(4, 7), rows.EnumerateObject().Count());
        var worstRow = 0.0;
        foreach (var row in rows.EnumerateObject())
        {
            var prefix = row.Name.Length == 0 ? Prefix.Empty : Prefix.From(row.Name.Split(',').Select(int.Parse));
            var expected = row.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var actual = loaded.NextTokenLogits(prefix).LogProbabilities();
            worstRow = Math.Max(worstRow, expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max());
        }

        // Renormalising a row whose log-sum-exp is ~1e-16 and recomputing the log-softmax moves entries of size <= ~10 by
        // a few ulps: 1e-12 is far above that and far below any wrong row (entries differ by O(0.1)).
        Assert.True(worstRow <= 1e-12, $"largest deviation from the file's rows: {worstRow}");

        // Recomputed from the provenance with the documented perturbation: the same distribution.
        var recomputed = FromProvenance(document.RootElement.GetProperty("provenance"));
        var worstLogit = SequenceSpace.AllUpTo(4, 7).Max(h => recomputed.NextTokenLogits(h).MaxAbsDifference(loaded.NextTokenLogits(h)));
        // Float64 matrix products in a different order than the generator's: ~1e-15 relative on values of size ~3.
        Assert.True(worstLogit <= 1e-12, $"largest logit difference to the provenance: {worstLogit}");
        Assert.True(ExactDivergence.TotalVariation(recomputed, loaded) <= 1e-12);
    }

    [Fact]
    public void Save_then_load_returns_the_same_distributions()
    {
        var model = TimeVaryingIsan.Random(3, 4, 2, seed: 5, logitScale: 2);
        using var stream = new MemoryStream();
        TargetTable.Save(model, stream, name: "isan-k3");
        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.StartsWith("{\"format\":\"logitrank-target/1\",\"kind\":\"table\",\"k\":3,\"T\":4,\"name\":\"isan-k3\",\"logprobs\":{\"\":[", json, StringComparison.Ordinal);
        Assert.Contains("\"0,2,1\":[", json, StringComparison.Ordinal);
        stream.Position = 0;
        var loaded = TargetTable.Load(stream);
        // One log-softmax and one centering: a few ulps of values of size <= ~8.
        Assert.True(SequenceSpace.AllUpTo(3, 3).All(h => loaded.NextTokenLogits(h).MaxAbsDifference(model.NextTokenLogits(h)) <= 1e-13));
    }

    private static string SmallTable(Func<string, string>? edit = null)
    {
        // k = 2, T = 2: rows "", "0", "1".
        var l = (double p) => Math.Log(p).ToString("R", CultureInfo.InvariantCulture);
        var json = $"{{\"format\":\"logitrank-target/1\",\"kind\":\"table\",\"k\":2,\"T\":2,\"logprobs\":{{\"\":[{l(0.25)},{l(0.75)}],\"0\":[{l(0.5)},{l(0.5)}],\"1\":[{l(0.9)},{l(0.1)}]}},\"provenance\":{{\"anything\":1}},\"meta\":null}}";
        return edit is null ? json : edit(json);
    }

    private static TabularModel LoadText(string json) => TargetTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void A_small_table_loads_ignoring_provenance_and_meta()
    {
        var model = LoadText(SmallTable());
        Assert.Equal(0.75, model.NextTokenProbabilities(Prefix.Empty)[1], 14);
        Assert.Equal(0.1, model.NextTokenProbabilities(Prefix.Of(1))[1], 14);
    }

    [Theory]
    [InlineData("\"format\":\"logitrank-target/1\"", "\"format\":\"logitrank-target/2\"", "format")]
    [InlineData("\"kind\":\"table\"", "\"kind\":\"isan\"", "kind")]
    [InlineData("\"k\":2", "\"k\":1", "k")]
    [InlineData("\"T\":2", "\"T\":0", "T")]
    [InlineData("\"logprobs\":{", "\"rows\":{", "logprobs")]
    [InlineData(",\"1\":[", ",\"00\":[", "logprobs[\"00\"]")]
    [InlineData(",\"1\":[", ",\" 1\":[", "logprobs[\" 1\"]")]
    [InlineData(",\"1\":[", ",\"2\":[", "logprobs[\"2\"]")]
    [InlineData(",\"1\":[", ",\"1,0\":[", "logprobs[\"1,0\"]")]
    [InlineData(",\"1\":[", ",\"0\":[", "logprobs[\"0\"]")]
    public void A_bad_header_or_key_is_named(string find, string replace, string field)
    {
        var json = SmallTable();
        Assert.Contains(find, json, StringComparison.Ordinal);
        var e = Assert.Throws<TargetTableFormatException>(() => LoadText(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(field, e.Field);
        Assert.Contains($"'{field}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_must_be_complete_of_length_k_finite_and_normalised_within_1e_6()
    {
        var missing = Assert.Throws<TargetTableFormatException>(() => LoadText(SmallTable(j => j.Replace($",\"1\":[{Math.Log(0.9).ToString("R", CultureInfo.InvariantCulture)},{Math.Log(0.1).ToString("R", CultureInfo.InvariantCulture)}]", string.Empty, StringComparison.Ordinal))));
        Assert.Equal("logprobs", missing.Field);
        Assert.Contains("the first being \"1\"", missing.Message, StringComparison.Ordinal);

        var shortRow = Assert.Throws<TargetTableFormatException>(() => LoadText(SmallTable(j => j.Replace("\"0\":[", "\"0\":[-1,", StringComparison.Ordinal))));
        Assert.Equal("logprobs[\"0\"]", shortRow.Field);
        Assert.Contains("k = 2", shortRow.Message, StringComparison.Ordinal);

        var half = Math.Log(0.5).ToString("R", CultureInfo.InvariantCulture);
        var text = Assert.Throws<TargetTableFormatException>(() => LoadText(SmallTable(j => j.Replace($"\"0\":[{half},", "\"0\":[\"x\",", StringComparison.Ordinal))));
        Assert.Equal("logprobs[\"0\"][0]", text.Field);

        // A row off by 2e-6 in log-sum-exp is refused; one off by 5e-7 is renormalised.
        string Row(double shift) => SmallTable(j => j.Replace($"\"0\":[{Math.Log(0.5).ToString("R", CultureInfo.InvariantCulture)},{Math.Log(0.5).ToString("R", CultureInfo.InvariantCulture)}]", $"\"0\":[{(Math.Log(0.5) + shift).ToString("R", CultureInfo.InvariantCulture)},{(Math.Log(0.5) + shift).ToString("R", CultureInfo.InvariantCulture)}]", StringComparison.Ordinal));
        var off = Assert.Throws<TargetTableFormatException>(() => LoadText(Row(2e-6)));
        Assert.Equal("logprobs[\"0\"]", off.Field);
        Assert.Contains("log-sum-exp", off.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, LoadText(Row(5e-7)).NextTokenProbabilities(Prefix.Of(0))[0], 15);
    }

    [Fact]
    public void A_table_beyond_the_row_limit_is_refused_before_its_rows_are_read()
    {
        var json = SmallTable(j => j.Replace("\"T\":2", "\"T\":40", StringComparison.Ordinal));
        var e = Assert.Throws<TableTooLargeException>(() => LoadText(json));
        Assert.Equal(TabularModel.DefaultMaxPrefixes, e.Limit);
        Assert.Equal((System.Numerics.BigInteger.One << 40) - 1, e.Prefixes);
        Assert.Contains("1048576", e.Message, StringComparison.Ordinal);
        Assert.Throws<TableTooLargeException>(() => TargetTable.Load(new MemoryStream(Encoding.UTF8.GetBytes(SmallTable())), maxPrefixes: 2));
    }

    [Fact]
    public void Loading_a_file_names_it_and_malformed_json_names_the_document()
    {
        var path = Path.Combine(Path.GetTempPath(), $"table-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, SmallTable(j => j.Replace("\"kind\":\"table\"", "\"kind\":\"x\"", StringComparison.Ordinal)));
            var e = Assert.Throws<TargetTableFormatException>(() => TargetTable.LoadFile(path));
            Assert.Equal(path, e.FilePath);
            Assert.Equal("kind", e.Field);
            Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "{ not json");
            Assert.Equal("$", Assert.Throws<TargetTableFormatException>(() => TargetTable.LoadFile(path)).Field);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
