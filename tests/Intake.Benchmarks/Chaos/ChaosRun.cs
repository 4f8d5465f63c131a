using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Intake.Benchmarks.Load;
using Intake.Storage;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// What one fault run does: on which channels, how many clients on each, how long the kills span and how many there
/// are, how long each outage lasts, how long to wait for the acknowledgements.
/// </summary>
internal sealed record ChaosPlan(
    int Clients, TimeSpan KillPhase, int Kills, TimeSpan ProviderOutage, TimeSpan StorageOutage, TimeSpan AckWait, int Seed)
{
    /// <summary>The channels the clients write on; <see cref="Clients"/> clients on each.</summary>
    public IReadOnlyList<ChaosChannel> Channels { get; init; } = ChaosChannels.All;

    /// <summary>Clients go on posting this long after the last fault, so that the recovered server takes messages too.</summary>
    public TimeSpan Tail { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>Worker:Visibility</c> for the run (5 min by default): a message the worker had received when the server was
    /// killed comes back after this, so a killed acknowledgement is retried within the run's wait rather than minutes later.
    /// A pending send record is taken over once its lease (<c>OutboundLog.AttemptLease</c>, 2 min, fixed) has run out.
    /// </summary>
    public TimeSpan Visibility { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// One message a client got its answer for (202 from the web form, 200 from a webhook): the contact it came from (an
/// address, a chat id, a PSID) and, for the web form, the ticket id the answer named.
/// </summary>
internal sealed record AcceptedMessage(
    ChaosChannel Channel, long Number, string Contact, string? TicketId, int Attempts, TimeSpan FirstSent, TimeSpan AcceptedAt);

/// <summary>
/// The fault run: clients on the web form, Telegram and Meta, each sending its message again, the very same request,
/// until it is answered (202 with a ticket id, or 200), while the server (a child process) is SIGKILLed and restarted,
/// the providers (mail, Telegram, Graph) refuse every send for a while, and Azurite (on disk) is stopped and started
/// again; afterwards every answered message is checked from outside the process, through the agent API and the fake
/// providers. The same code runs the <c>chaos</c> command and the short version in the test suite.
/// </summary>
internal sealed class ChaosRun(string repositoryRoot, string serverDll, ChaosPlan plan, TextWriter log)
{
    private const string AgentKeyName = "chaos";
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    // Once the faults are over, a client gets this long to have its last message answered.
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(60);

    private readonly string _agentKey = "chaos-agent-key-" + Guid.NewGuid().ToString("N");
    private readonly string _telegramSecret = "chaos-telegram-" + Guid.NewGuid().ToString("N");
    private readonly string _metaAppSecret = "chaos-app-secret-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentBag<AcceptedMessage> _accepted = [];
    private readonly ConcurrentBag<string> _refused = [];
    private readonly ConcurrentDictionary<(ChaosChannel Channel, int Status), int> _answers = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _timeline = [];
    private readonly ConcurrentDictionary<ChaosChannel, int> _unanswered = new();
    private volatile ServerProcess? _server;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _clock;
        await using var azurite = await DiskAzurite.StartAsync(repositoryRoot, cancellationToken).ConfigureAwait(false);
        await using var sendGrid = await ReceivingSendGrid.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var telegram = await ReceivingTelegram.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var graph = await ReceivingGraph.StartAsync(cancellationToken).ConfigureAwait(false);
        var settings = ServerSettings(azurite.ConnectionString, sendGrid, telegram, graph);
        await log.WriteLineAsync("Starting the server…").ConfigureAwait(false);
        _server = await ServerProcess.StartBuiltAsync(serverDll, settings, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        try
        {
            using var stopClients = new CancellationTokenSource();
            var deliveries = new ChaosDeliveries("chaos" + Guid.NewGuid().ToString("N")[..8], _telegramSecret, _metaAppSecret);
            var next = -1L;
            var clients = plan.Channels
                .SelectMany(channel => Enumerable.Repeat(channel, plan.Clients))
                .Select(channel => Task.Run(
                    () => ClientAsync(channel, deliveries, () => Interlocked.Increment(ref next), stopClients.Token, cancellationToken), cancellationToken))
                .ToList();

            await KillAsync(settings, notes, cancellationToken).ConfigureAwait(false);
            if (plan.ProviderOutage > TimeSpan.Zero)
            {
                await MarkAsync($"providers refuse every send for {plan.ProviderOutage.TotalSeconds:0} s (SendGrid 503, Telegram 429 retry_after, Graph 503)")
                    .ConfigureAwait(false);
                sendGrid.FailFor(plan.ProviderOutage);
                telegram.FailFor(plan.ProviderOutage);
                graph.FailFor(plan.ProviderOutage);
                await Task.Delay(plan.ProviderOutage, cancellationToken).ConfigureAwait(false);
                await MarkAsync("providers accept sends again").ConfigureAwait(false);
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

            // Every message the run causes is an acknowledgement: count what each fake accepted for the message's ticket or contact.
            int Acknowledgements(AcceptedMessage message) => message.Channel switch
            {
                ChaosChannel.Web => sendGrid.MailsFor(message.TicketId!),
                ChaosChannel.Telegram => telegram.MessagesTo(message.Contact),
                _ => graph.MessagesTo(message.Contact),
            };

            var accepted = _accepted.OrderBy(a => a.Number).ToList();
            await log.WriteLineAsync($"{accepted.Count} messages accepted; waiting up to {plan.AckWait.TotalSeconds:0} s for their acknowledgements…")
                .ConfigureAwait(false);
            var waited = await WaitForAcknowledgementsAsync(accepted, Acknowledgements, cancellationToken).ConfigureAwait(false);

            await log.WriteLineAsync("Checking every accepted message through the agent API…").ConfigureAwait(false);
            using var api = new HttpClient { BaseAddress = _server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Add("x-api-key", _agentKey);
            var listed = new Dictionary<ChaosChannel, IReadOnlyList<JsonElement>>();
            foreach (var channel in plan.Channels)
            {
                listed[channel] = await ListTicketsAsync(api, channel.TicketChannel(), cancellationToken).ConfigureAwait(false);
            }

            var providerRefusals = new Dictionary<ChaosChannel, int>
            {
                [ChaosChannel.Web] = sendGrid.Refused,
                [ChaosChannel.Telegram] = telegram.Refused,
                [ChaosChannel.Meta] = graph.Refused,
            };
            var counts = plan.Channels.ToDictionary(
                channel => channel,
                channel => new ChannelCounts(
                    new SortedDictionary<int, int>(_answers.Where(a => a.Key.Channel == channel).ToDictionary(a => a.Key.Status, a => a.Value)),
                    _unanswered.GetValueOrDefault(channel),
                    providerRefusals[channel]));
            return await ChaosReport.CheckAsync(
                plan, accepted, listed, Acknowledgements, id => GetTicketAsync(api, id, cancellationToken), notes, [.. _timeline],
                new ChaosCounts(counts, [.. _refused], faultsOver, waited))
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
    /// Sends message after message on <paramref name="channel"/> until <paramref name="stop"/>; each one is sent again,
    /// the same request, until it is answered, whatever happens to the server (refused connections, resets, 5xx,
    /// 429, timeouts), as the providers do.
    /// </summary>
    private async Task ClientAsync(
        ChaosChannel channel, ChaosDeliveries deliveries, Func<long> nextNumber, CancellationToken stop, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        while (!stop.IsCancellationRequested)
        {
            var delivery = deliveries.Next(channel, nextNumber());
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
                        _unanswered.AddOrUpdate(channel, 1, (_, count) => count + 1);
                        break;
                    }
                }

                var (status, ticketId) = await PostAsync(http, delivery, cancellationToken).ConfigureAwait(false);
                _answers.AddOrUpdate((channel, (int)status), 1, (_, count) => count + 1);
                if (status == delivery.Answered && (channel != ChaosChannel.Web || ticketId is not null))
                {
                    _accepted.Add(new AcceptedMessage(channel, delivery.Number, delivery.Contact, ticketId, attempt, firstSent, _clock.Elapsed));
                    break;
                }

                if (status is 0 or HttpStatusCode.TooManyRequests || (int)status >= 500)
                {
                    await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // A refusal (4xx, another 2xx, or 202 without a ticket) is an answer, not a fault to ride out: the tool, not the server, is wrong.
                _refused.Add(string.Create(CultureInfo.InvariantCulture, $"{channel.Name()} message {delivery.Number}: {(int)status}"));
                break;
            }
        }
    }

    /// <summary>The status (0 for no whole answer) and, for a 202 from the web form, the ticket id it named.</summary>
    private async Task<(HttpStatusCode Status, string? TicketId)> PostAsync(HttpClient http, ChaosDelivery delivery, CancellationToken cancellationToken)
    {
        if (_server is not { } server)
        {
            return (0, null);
        }

        using var request = delivery.Request(server.BaseUrl);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Accepted || delivery.Channel != ChaosChannel.Web)
            {
                return (response.StatusCode, null);
            }

            using var json = JsonDocument.Parse(answer);
            return (response.StatusCode, json.RootElement.TryGetProperty("ticketId", out var id) ? id.GetString() : null);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No whole answer: the server died mid-request or did not answer in time. The same request is sent again.
            return (0, null);
        }
    }

    private async Task<TimeSpan> WaitForAcknowledgementsAsync(
        List<AcceptedMessage> accepted, Func<AcceptedMessage, int> acknowledgements, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var missing = accepted.ToList();
        while (waiting.Elapsed < plan.AckWait)
        {
            missing.RemoveAll(message => acknowledgements(message) > 0);
            if (missing.Count == 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var waited = waiting.Elapsed;

        // A second acknowledgement would come from a retry after the first: give the worker a moment more.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        return waited;
    }

    /// <summary>Every ticket of <paramref name="channel"/> the agent API lists, a page of 100 at a time.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ListTicketsAsync(HttpClient api, string channel, CancellationToken cancellationToken)
    {
        var tickets = new List<JsonElement>();
        string? continuation = null;
        do
        {
            var query = $"api/tickets?channel={channel}&pageSize=100" + (continuation is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuation));
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
    /// The server as in production over this run's Azurite and fake providers, the same on every restart (one prefix),
    /// with the web form's per-client and per-address limits out of the way and the worker's retry waits and message
    /// visibility shortened to fit the run.
    /// </summary>
    private Dictionary<string, string> ServerSettings(string connectionString, ReceivingSendGrid sendGrid, ReceivingTelegram telegram, ReceivingGraph graph) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        [StorageAccount.ConnectionSetting] = connectionString,
        ["Storage__Prefix"] = "chaos" + Guid.NewGuid().ToString("N")[..12],
        ["Intake__SigningKey"] = "chaos-signing-key-" + Guid.NewGuid().ToString("N"),
        ["Intake__ApiKeys__" + AgentKeyName] = _agentKey,
        ["Intake__AutomaticRepliesPerDay"] = "1000",
        ["SendGrid__BaseUrl"] = sendGrid.BaseUrl.ToString(),
        ["SendGrid__ApiKey"] = "SG.chaos-test-key",
        ["SendGrid__FromEmail"] = "support@exchange.example",
        ["Telegram__BaseUrl"] = telegram.BaseUrl.ToString(),
        ["Telegram__BotToken"] = telegram.BotToken,
        ["Telegram__SecretToken"] = _telegramSecret,
        ["Meta__BaseUrl"] = graph.BaseUrl.ToString(),
        ["Meta__AppSecret"] = _metaAppSecret,
        ["Meta__VerifyToken"] = "chaos-verify-" + Guid.NewGuid().ToString("N"),
        ["Meta__PageAccessToken"] = graph.PageAccessToken,
        ["WebForm__SubmissionsPerWindow"] = "10000",
        ["WebForm__SubmissionsPerAddress"] = "10000",
        ["WebForm__Window"] = "00:00:01",
        ["Worker__RetryDelay"] = "00:00:01",
        ["Worker__MaxRetryDelay"] = "00:00:10",
        ["Worker__Visibility"] = plan.Visibility.ToString("c", CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    };
}
