using System.Globalization;

namespace LogitRank.Cli;

/// <summary>An option a command accepts: <c>--name VALUE</c> (or <c>--name=VALUE</c>), or a flag without a value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Help)
{
    public bool IsFlag => ValueName is null;

    public override string ToString() => IsFlag ? $"--{Name}" : $"--{Name} {ValueName}";
}

/// <summary>A command: its name, positional arguments, options and one-line summary.</summary>
internal sealed record CommandSpec(string Name, string Summary, IReadOnlyList<string> Positionals, IReadOnlyList<OptionSpec> Options)
{
    public string Usage =>
        $"logitrank {Name}{string.Concat(Positionals.Select(p => $" <{p}>"))}{string.Concat(Options.Select(o => $" [{o}]"))}";
}

/// <summary>
/// The hand-written parser (no System.CommandLine: the error messages, exit codes and option forms stay under our
/// control and are tested). Forms: <c>--name VALUE</c>, <c>--name=VALUE</c>, flags <c>--name</c>; global options
/// (<c>--quiet</c>, <c>--json</c>, <c>--verbose</c>, <c>--seed N</c>) anywhere; <c>--</c> ends option parsing.
/// </summary>
internal sealed class ParsedArguments
{
    public static readonly IReadOnlyList<OptionSpec> GlobalOptions =
    [
        new("quiet", null, "no progress and no notes on stderr"),
        new("json", null, "machine-readable result on stdout (nothing else on stdout)"),
        new("verbose", null, "stack traces on errors"),
        new("seed", "N", "the seed of every random choice (default 1)"),
        new("help", null, "show help"),
    ];

    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private ParsedArguments(CommandSpec command, IReadOnlyList<string> positionals, Dictionary<string, string> values, HashSet<string> flags)
    {
        Command = command;
        Positionals = positionals;
        _values = values;
        _flags = flags;
    }

    public CommandSpec Command { get; }

    public IReadOnlyList<string> Positionals { get; }

    public bool Quiet => _flags.Contains("quiet");

    public bool Json => _flags.Contains("json");

    public bool Verbose => _flags.Contains("verbose");

    public bool Help => _flags.Contains("help");

    public int Seed => Int("seed", 1);

    /// <summary>Whether <c>--verbose</c> occurs anywhere (so errors before the command is known still get a stack trace).</summary>
    public static bool HasVerbose(IEnumerable<string> args) => args.TakeWhile(a => a != "--").Contains("--verbose");

    /// <summary>Whether <c>--json</c> occurs anywhere (so an error before the command is parsed is still a JSON object on stdout).</summary>
    public static bool HasJson(IEnumerable<string> args) => args.TakeWhile(a => a != "--").Contains("--json");

    public static ParsedArguments Parse(CommandSpec command, IReadOnlyList<string> args)
    {
        var specs = command.Options.Concat(GlobalOptions).ToDictionary(o => o.Name, StringComparer.Ordinal);
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (arg == "--" && !optionsEnded)
                {
                    optionsEnded = true;
                    continue;
                }

                positionals.Add(arg);
                continue;
            }

            var body = arg[2..];
            string? inlineValue = null;
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inlineValue = body[(eq + 1)..];
                body = body[..eq];
            }

            if (!specs.TryGetValue(body, out var spec))
            {
                throw CliException.Usage($"Unknown option '--{body}' for '{command.Name}'; valid options: {string.Join(", ", specs.Values.Select(s => s.ToString()))}.");
            }

            if (values.ContainsKey(spec.Name) || flags.Contains(spec.Name))
            {
                throw CliException.Usage($"Option '--{spec.Name}' is given twice.");
            }

            if (spec.IsFlag)
            {
                if (inlineValue is not null)
                {
                    throw CliException.Usage($"Option '--{spec.Name}' is a flag and takes no value; got '{inlineValue}'.");
                }

                flags.Add(spec.Name);
                continue;
            }

            if (inlineValue is null)
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                {
                    throw CliException.Usage($"Option '--{spec.Name}' expects a value <{spec.ValueName}> ({spec.Help}).");
                }

                inlineValue = args[++i];
            }

            values[spec.Name] = inlineValue;
        }

        var parsed = new ParsedArguments(command, positionals, values, flags);
        if (parsed.Help)
        {
            return parsed;
        }

        if (positionals.Count < command.Positionals.Count)
        {
            var missing = command.Positionals[positionals.Count];
            throw CliException.Usage($"'{command.Name}' expects <{missing}>; usage: {command.Usage}");
        }

        if (positionals.Count > command.Positionals.Count)
        {
            throw CliException.Usage($"Unexpected argument '{positionals[command.Positionals.Count]}' for '{command.Name}'; usage: {command.Usage}");
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name) || _flags.Contains(name);

    public string? String(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public int Int(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw CliException.Usage($"Invalid value '{text}' for --{name}: expected an integer{Range(min, max)}.");
        }

        return value;
    }

    public long? Long(string name, long min = long.MinValue)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw CliException.Usage($"Invalid value '{text}' for --{name}: expected an integer{(min == long.MinValue ? string.Empty : $" >= {min}")}.");
        }

        return value;
    }

    public double Double(string name, double defaultValue, double min, double max, bool minExclusive = false, bool maxExclusive = false)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max);
        if (!ok)
        {
            var lower = minExclusive ? "(" : "[";
            var upper = maxExclusive ? ")" : "]";
            var range = double.IsPositiveInfinity(max)
                ? (minExclusive ? $" > {Format(min)}" : $" >= {Format(min)}")
                : $" in {lower}{Format(min)}, {Format(max)}{upper}";
            throw CliException.Usage($"Invalid value '{text}' for --{name}: expected a number{range}.");
        }

        return value;
    }

    private static string Format(double x) => x.ToString("G", CultureInfo.InvariantCulture);

    private static string Range(int min, int max) =>
        (min, max) switch
        {
            (int.MinValue, int.MaxValue) => string.Empty,
            (_, int.MaxValue) => $" >= {min}",
            (int.MinValue, _) => $" <= {max}",
            _ => $" in {min}..{max}",
        };
}
