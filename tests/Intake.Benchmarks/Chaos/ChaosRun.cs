using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Intake.Benchmarks.Load;
using Intake.Storage;

namespace Intake.Benchmarks.Chaos;

/// <summary>What one fault run does: how long the kills span, how many clients and kills, how long each outage lasts.</summary>
internal sealed record ChaosPlan(
    int Clients, TimeSpan KillPhase, int Kills, TimeSpan ProviderOutage, TimeSpan StorageOutage, TimeSpan AckWait, int Seed)
{
    /// <summary>Clients go on posting this long after the last fault, so that the recovered server takes submissions too.</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>Worker:Visibility</c> for the run (5 min by default): a message the worker had received when the server was
    /// killed comes back after this, so a killed acknowledgement is retried within the run's wait rather than minutes later.
    /// A pending send record is taken over once its lease (<c>OutboundLog.AttemptLease</c>, 2 min, fixed) has run out.
    /// </summary>
    public TimeSpan Visibility { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>One submission a client got 202 for, and the ticket id the answer named.</summary>
internal sealed record AcceptedSubmission(long Number, string Email, string TicketId, int Attempts, TimeSpan FirstSent, TimeSpan AcceptedAt);

/// <summary>
/// The fault run: web-form clients, each retrying its submission with the same <c>Idempotency-Key</c> until it is
/// answered 202, while the server (a child process) is SIGKILLed and restarted, the mail API answers 503, and Azurite
/// (on disk) is stopped and started again; afterwards every accepted submission is checked from outside the process,
/// through the agent API and the fake SendGrid. The same code runs the <c>chaos</c> command and the short version in
/// the test suite.
/// </summary>
internal sealed class ChaosRun(string repositoryRoot, string serverDll, ChaosPlan plan, TextWriter log)
{
    private const string AgentKeyName = "chaos";
    private static readonly Uri Submit = new("api/intake/web", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    // Once the faults are over, a client gets this long to have its last submission accepted.
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(60);

    private readonly string _agentKey = "chaos-agent-key-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentBag<AcceptedSubmission> _accepted = [];
    private readonly ConcurrentBag<string> _refused = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _timeline = [];
    private volatile ServerProcess? _server;
    private int _unanswered;
    private int _attempts;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _clock;
        await using var azurite = await DiskAzurite.StartAsync(repositoryRoot, cancellationToken).ConfigureAwait(false);
        await using var sendGrid = await ReceivingSendGrid.StartAsync(cancellationToken).ConfigureAwait(false);
        var settings = ServerSettings(azurite.ConnectionString, sendGrid.BaseUrl);
        await log.WriteLineAsync("Starting the server…").ConfigureAwait(false);
        _server = await ServerProcess.StartBuiltAsync(serverDll, settings, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        try
        {
            using var stopClients = new CancellationTokenSource();
            var run = "chaos" + Guid.NewGuid().ToString("N")[..8];
            var next = -1L;
            var clients = Enumerable.Range(0, plan.Clients)
                .Select(_ => Task.Run(() => ClientAsync(run, () => Interlocked.Increment(ref next), stopClients.Token, cancellationToken), cancellationToken))
                .ToList();

            await KillAsync(settings, notes, cancellationToken).ConfigureAwait(false);
            if (plan.ProviderOutage > TimeSpan.Zero)
            {
                await MarkAsync($"mail API answers 503 for {plan.ProviderOutage.TotalSeconds:0} s").ConfigureAwait(false);
                sendGrid.FailFor(plan.ProviderOutage);
                await Task.Delay(plan.ProviderOutage, cancellationToken).ConfigureAwait(false);
                await MarkAsync("mail API answers 202 again").ConfigureAwait(false);
            }

            if (plan.StorageOutage > TimeSpan.Zero)
            {
                await MarkAsync("stopping Azurite (SIGTERM)").ConfigureAwait(false);
                if (!await azurite.StopAsync(cancellationToken).ConfigureAwait(false))
                {
                    notes.Add("Azurite did not stop on SIGTERM within 20 s and was killed: its last writes may be lost.");
                }

                await MarkAsync($"Azurite stopped; {plan.StorageOutage.TotalSeconds:0} s before it starts again").ConfigureAwait(false);
                await Task.Delay(plan.StorageOutage, cancellationToken).ConfigureAwait(false);
                await azurite.StartAgainAsync(cancellationToken).ConfigureAwait(false);
                await MarkAsync("Azurite listening again").ConfigureAwait(false);
            }

            await Task.Delay(plan.Tail, cancellationToken).ConfigureAwait(false);
            await stopClients.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(clients).ConfigureAwait(false);
            var faultsOver = started.Elapsed;

            var accepted = _accepted.OrderBy(a => a.Number).ToList();
            await log.WriteLineAsync($"{accepted.Count} submissions accepted; waiting up to {plan.AckWait.TotalSeconds:0} s for their acknowledgements…")
                .ConfigureAwait(false);
            var waited = await WaitForAcknowledgementsAsync(sendGrid, accepted, cancellationToken).ConfigureAwait(false);

            await log.WriteLineAsync("Checking every accepted submission through the agent API…").ConfigureAwait(false);
            using var api = new HttpClient { BaseAddress = _server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Add("x-api-key", _agentKey);
            var tickets = await ListWebTicketsAsync(api, cancellationToken).ConfigureAwait(false);
            return await ChaosReport.CheckAsync(
                plan, accepted, tickets, sendGrid, id => GetTicketAsync(api, id, cancellationToken), notes, [.. _timeline],
                new ChaosCounts(Volatile.Read(ref _attempts), Volatile.Read(ref _unanswered), [.. _refused], sendGrid.Refused, faultsOver, waited))
                .ConfigureAwait(false);
        }
        finally
        {
            if (_server is { } server)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task MarkAsync(string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        _timeline.Enqueue(line);
        await log.WriteLineAsync("  " + line).ConfigureAwait(false);
    }

    /// <summary>SIGKILLs the server at <see cref="ChaosPlan.Kills"/> random moments of the kill phase, starting it again each time.</summary>
    private async Task KillAsync(Dictionary<string, string> settings, List<string> notes, CancellationToken cancellationToken)
    {
        var random = new Random(plan.Seed);
        var moments = Enumerable.Range(0, plan.Kills)
            .Select(_ => TimeSpan.FromSeconds(1 + (random.NextDouble() * Math.Max(0, plan.KillPhase.TotalSeconds - 2))))
            .Order()
            .ToList();
        var phase = Stopwatch.StartNew();
        foreach (var moment in moments)
        {
            if (moment > phase.Elapsed)
            {
                await Task.Delay(moment - phase.Elapsed, cancellationToken).ConfigureAwait(false);
            }

            var killed = _server!;
            _server = null;
            await killed.DisposeAsync().ConfigureAwait(false);
            await MarkAsync("server killed (SIGKILL)").ConfigureAwait(false);
            _server = await ServerProcess.StartBuiltAsync(serverDll, settings, cancellationToken).ConfigureAwait(false);
            await MarkAsync("server answers again").ConfigureAwait(false);
        }

        if (phase.Elapsed < plan.KillPhase)
        {
            await Task.Delay(plan.KillPhase - phase.Elapsed, cancellationToken).ConfigureAwait(false);
        }
        else if (moments.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"The kills took {phase.Elapsed.TotalSeconds:0} s, longer than the {plan.KillPhase.TotalSeconds:0} s planned (restarts are slow)."));
        }
    }

    /// <summary>
    /// Posts submission after submission until <paramref name="stop"/>; each one is retried with its key until it is
    /// answered 202, whatever happens to the server (refused connections, resets, 5xx, timeouts).
    /// </summary>
    private async Task ClientAsync(string run, Func<long> nextNumber, CancellationToken stop, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        while (!stop.IsCancellationRequested)
        {
            var number = nextNumber();
            var body = Submissions.Json(run, number);
            var email = string.Create(CultureInfo.InvariantCulture, $"load-{run}-{number}@customer.example");
            var key = string.Create(CultureInfo.InvariantCulture, $"{run}-{number}");
            Stopwatch? finishing = null;
            var firstSent = _clock.Elapsed;
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (stop.IsCancellationRequested)
                {
                    finishing ??= Stopwatch.StartNew();
                    if (finishing.Elapsed > FinishTimeout)
                    {
                        Interlocked.Increment(ref _unanswered);
                        break;
                    }
                }

                Interlocked.Increment(ref _attempts);
                var (status, ticketId) = await PostAsync(http, body, key, cancellationToken).ConfigureAwait(false);
                if (status == HttpStatusCode.Accepted && ticketId is not null)
                {
                    _accepted.Add(new AcceptedSubmission(number, email, ticketId, attempt, firstSent, _clock.Elapsed));
                    break;
                }

                if (status is 0 or HttpStatusCode.TooManyRequests || (int)status >= 500)
                {
                    await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // A refusal (4xx, or 202 without a ticket) is an answer, not a fault to ride out: the tool, not the server, is wrong.
                _refused.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: {(int)status}"));
                break;
            }
        }
    }

    private async Task<(HttpStatusCode Status, string? TicketId)> PostAsync(HttpClient http, byte[] body, string key, CancellationToken cancellationToken)
    {
        if (_server is not { } server)
        {
            return (0, null);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, Submit)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return (response.StatusCode, null);
            }

            using var json = JsonDocument.Parse(answer);
            return (response.StatusCode, json.RootElement.TryGetProperty("ticketId", out var id) ? id.GetString() : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No whole answer: the server died mid-request or did not answer in time. The same key is sent again.
            return (0, null);
        }
    }

    private async Task<TimeSpan> WaitForAcknowledgementsAsync(ReceivingSendGrid sendGrid, List<AcceptedSubmission> accepted, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var missing = accepted.Select(a => a.TicketId).Distinct(StringComparer.Ordinal).ToList();
        while (waiting.Elapsed < plan.AckWait)
        {
            missing.RemoveAll(id => sendGrid.MailsFor(id) > 0);
            if (missing.Count == 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var waited = waiting.Elapsed;

        // A second acknowledgement for a ticket would come from a retry after the first: give the worker a moment more.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        return waited;
    }

    /// <summary>Every web ticket the agent API lists, a page of 100 at a time.</summary>
    private static async Task<List<JsonElement>> ListWebTicketsAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var tickets = new List<JsonElement>();
        string? continuation = null;
        do
        {
            var query = "api/tickets?channel=web&pageSize=100" + (continuation is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuation));
            using var response = await api.GetAsync(new Uri(query, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            tickets.AddRange(page.RootElement.GetProperty("tickets").EnumerateArray().Select(t => t.Clone()));
            continuation = page.RootElement.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (continuation is not null);
        return tickets;
    }

    /// <summary>The ticket as <c>GET /api/tickets/{id}</c> shows it, or null when it answers 404.</summary>
    private static async Task<JsonElement?> GetTicketAsync(HttpClient api, string id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(new Uri("api/tickets/" + Uri.EscapeDataString(id), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        return json.RootElement.Clone();
    }

    /// <summary>
    /// The server as in production over this run's Azurite and fake SendGrid, the same on every restart (one prefix),
    /// with the per-client and per-address limits out of the way and the worker's retry waits and message visibility
    /// shortened to fit the run.
    /// </summary>
    private Dictionary<string, string> ServerSettings(string connectionString, Uri sendGrid) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        [StorageAccount.ConnectionSetting] = connectionString,
        ["Storage__Prefix"] = "chaos" + Guid.NewGuid().ToString("N")[..12],
        ["Intake__SigningKey"] = "chaos-signing-key-" + Guid.NewGuid().ToString("N"),
        ["Intake__ApiKeys__" + AgentKeyName] = _agentKey,
        ["Intake__AutomaticRepliesPerDay"] = "1000",
        ["SendGrid__BaseUrl"] = sendGrid.ToString(),
        ["SendGrid__ApiKey"] = "SG.chaos-test-key",
        ["SendGrid__FromEmail"] = "support@exchange.example",
        ["WebForm__SubmissionsPerWindow"] = "10000",
        ["WebForm__SubmissionsPerAddress"] = "10000",
        ["WebForm__Window"] = "00:00:01",
        ["Worker__RetryDelay"] = "00:00:01",
        ["Worker__MaxRetryDelay"] = "00:00:10",
        ["Worker__Visibility"] = plan.Visibility.ToString("c", CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    };
}
