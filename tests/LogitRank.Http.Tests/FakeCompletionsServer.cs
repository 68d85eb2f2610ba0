using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Http.Tests;

/// <summary>What the fake server does with one request (chosen per prefix and per attempt number).</summary>
internal sealed record Fault(int Status = 200, int DelayMs = 0, string? RetryAfter = null, string? Body = null, int? KeepTop = null)
{
    public static Fault Ok { get; } = new();

    public static Fault Slow(int delayMs) => new(DelayMs: delayMs);

    public static Fault Error(int status, string body = "engine error") => new(Status: status, Body: body);

    public static Fault RateLimited(string retryAfter) => new(Status: 429, RetryAfter: retryAfter, Body: "slow down");

    public static Fault Malformed(string body) => new(Body: body);

    public static Fault Truncated(int keepTop) => new(KeepTop: keepTop);
}

/// <summary>
/// An in-process completions server on loopback (HttpListener on 127.0.0.1, a free port) that answers from a known
/// model: prompt ids <c>[bos, ids[y1], ...]</c> are decoded to the prefix <c>y</c>, and the answer lists the
/// model's next-token log-probabilities (top-N, most likely first) in the OpenAI/vLLM or llama.cpp format.
/// Faults are injected per (prefix, attempt). It counts requests per prefix and the peak number in flight.
/// </summary>
internal sealed class FakeCompletionsServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ISequenceModel _model;
    private readonly int[] _ids;
    private readonly int _bos;
    private readonly CompletionsDialect _dialect;
    private readonly Func<Prefix, int, Fault> _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Prefix, int> _attempts = new();
    private readonly ConcurrentQueue<string> _requestBodies = new();
    private readonly Task _loop;
    private int _inFlight;
    private int _peakInFlight;
    private int _total;

    public FakeCompletionsServer(ISequenceModel model, int[] ids, int bos, CompletionsDialect dialect = CompletionsDialect.OpenAi, Func<Prefix, int, Fault>? faults = null)
    {
        _model = model;
        _ids = ids;
        _bos = bos;
        _dialect = dialect;
        _faults = faults ?? ((_, _) => Fault.Ok);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int TotalRequests => Volatile.Read(ref _total);

    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public IReadOnlyCollection<string> RequestBodies => _requestBodies;

    public int Attempts(Prefix prefix) => _attempts.TryGetValue(prefix, out var n) ? n : 0;

    /// <summary>A loopback port with nothing listening (bound and released at once).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with an exception when the listener closes.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }

        Interlocked.Increment(ref _total);
        var response = context.Response;
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(_stop.Token);
            }

            _requestBodies.Enqueue(body);
            var (prefix, topN) = Decode(body);
            if (prefix is null)
            {
                await Write(response, 400, "bad prompt");
                return;
            }

            var attempt = _attempts.AddOrUpdate(prefix, 1, (_, n) => n + 1);
            var fault = _faults(prefix, attempt);
            if (fault.DelayMs > 0)
            {
                await Task.Delay(fault.DelayMs, _stop.Token);
            }

            if (fault.RetryAfter is { } retryAfter)
            {
                response.AddHeader("Retry-After", retryAfter);
            }

            if (fault.Status != 200 || fault.Body is not null)
            {
                await Write(response, fault.Status, fault.Body ?? string.Empty);
                return;
            }

            await Write(response, 200, Answer(prefix, Math.Min(topN, fault.KeepTop ?? int.MaxValue)));
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (timeout, cancellation) or the server is stopping.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Connection already gone.
            }
        }
    }

    private (Prefix? Prefix, int TopN) Decode(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var prompt = root.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var topN = root.GetProperty(_dialect == CompletionsDialect.LlamaCpp ? "n_probs" : "logprobs").GetInt32();
        if (prompt.Length == 0 || prompt[0] != _bos)
        {
            return (null, 0);
        }

        var tokens = prompt.Skip(1).Select(id => Array.IndexOf(_ids, id)).ToArray();
        return tokens.Any(t => t < 0) ? (null, 0) : (Prefix.From(tokens), topN);
    }

    private string Answer(Prefix prefix, int topN)
    {
        var logprobs = _model.NextTokenLogits(prefix).LogProbabilities();
        var order = Enumerable.Range(0, logprobs.Length).OrderByDescending(a => logprobs[a]).Take(topN).ToArray();
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (_dialect == CompletionsDialect.LlamaCpp)
            {
                w.WriteString("content", "x");
                w.WriteStartArray("completion_probabilities");
                w.WriteStartObject();
                w.WriteNumber("id", _ids[order[0]]);
                w.WriteNumber("logprob", logprobs[order[0]]);
                w.WriteStartArray("top_logprobs");
                foreach (var a in order)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", _ids[a]);
                    w.WriteString("token", $"t{a}");
                    w.WriteNumber("logprob", logprobs[a]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("object", "text_completion");
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteString("text", $"token_id:{_ids[order[0]]}");
                w.WriteStartObject("logprobs");
                w.WriteStartArray("tokens");
                w.WriteStringValue($"token_id:{_ids[order[0]]}");
                w.WriteEndArray();
                w.WriteStartArray("token_logprobs");
                w.WriteNumberValue(logprobs[order[0]]);
                w.WriteEndArray();
                w.WriteStartArray("top_logprobs");
                w.WriteStartObject();
                foreach (var a in order)
                {
                    w.WriteNumber($"token_id:{_ids[a]}", logprobs[a]);
                }

                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteString("finish_reason", "length");
                w.WriteEndObject();
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private async Task Write(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, _stop.Token);
    }
}
