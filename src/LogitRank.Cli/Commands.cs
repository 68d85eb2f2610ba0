using System.Globalization;
using System.Text;

namespace LogitRank.Cli;

/// <summary>A command: its spec and its body (returns the exit code).</summary>
internal sealed record CommandDefinition(CommandSpec Spec, Func<CommandContext, int> Run);

/// <summary>The command table and the help text.</summary>
internal static class Commands
{
    public static IReadOnlyList<CommandDefinition> All { get; } =
    [
        DemoCommand.Definition,
        LearnCommand.Definition,
        CertifyCommand.Definition,
        SpectrumCommand.Definition,
        EvaluateCommand.Definition,
        SampleCommand.Definition,
    ];

    public static CommandDefinition? Find(string name) => All.FirstOrDefault(c => c.Spec.Name == name);

    public static string HelpText()
    {
        var text = new StringBuilder();
        text.AppendLine("logitrank: learn low-logit-rank language models from logit queries, with certified error bounds.");
        text.AppendLine();
        text.AppendLine("Usage: logitrank <command> [arguments] [options]");
        text.AppendLine();
        text.AppendLine("Commands:");
        foreach (var c in All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {c.Spec.Name,-9} {c.Spec.Summary}");
        }

        text.AppendLine();
        text.AppendLine("Targets (<target>, <model>): a spec family:key=value,... or, where a model is accepted, a saved model JSON:");
        text.AppendLine("  isan:k=4,T=12,d=4,seed=1[,scale=1]        random time-varying ISAN (logit rank <= d)");
        text.AppendLine("  parity:n=20,noise=0.1[,seed=1]             noisy parity (k=2, T=n+1, logit rank 1)");
        text.AppendLine("  hmm:k=3,T=8,states=4,seed=1[,concentration=1,smoothing=0.001]   random HMM");
        text.AppendLine("  perturbed:k=3,T=8,d=3,eps=0.05,seed=1[,scale=1]   ISAN with logits moved by at most eps");
        text.AppendLine("  tabular:k=2,T=6,seed=1[,scale=2]           random full table of logits");
        text.AppendLine("  onnx:path=model.onnx,T=8[,spec=model.json,batch=32]   causal LM in ONNX (oracle only: no exact evaluation)");
        text.AppendLine("  http:url=http://127.0.0.1:8000/,T=8,bos=ID,tokens=ID+ID+A-B|vocab=FILE[,dialect=openai|llamacpp,model=NAME,");
        text.AppendLine("       topn=N,missing=reject|floor,concurrency=8,timeout=30,retries=3,backoff=200,endpoint=PATH]   completions server (oracle only)");
        text.AppendLine();
        text.AppendLine("Global options: " + string.Join("  ", ParsedArguments.GlobalOptions.Select(o => $"{o} ({o.Help})")));
        text.AppendLine();
        text.AppendLine("Exit codes: " + string.Join(", ", ExitCodes.All.Select(c => $"{c.Code} {c.Name}")) + " (see the README).");
        text.AppendLine("'logitrank <command> --help' describes a command.");
        return text.ToString();
    }

    public static string HelpText(CommandSpec spec)
    {
        var text = new StringBuilder();
        text.AppendLine(spec.Summary);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Usage: {spec.Usage}");
        if (spec.Options.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Options:");
            foreach (var o in spec.Options)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {o,-28} {o.Help}");
            }
        }

        text.AppendLine();
        text.AppendLine("Global options:");
        foreach (var o in ParsedArguments.GlobalOptions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {o,-28} {o.Help}");
        }

        return text.ToString();
    }
}
