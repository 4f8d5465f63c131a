using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Intake.Benchmarks.Load;

/// <summary>One request: when it started and ended (Stopwatch ticks), its status (0 when no answer), the ticket it made.</summary>
internal readonly record struct SubmissionResult(long StartedAt, long EndedAt, int Status, string? TicketId)
{
    public TimeSpan Latency => Stopwatch.GetElapsedTime(StartedAt, EndedAt);
}

/// <summary>
/// <c>concurrency</c> clients posting web-form submissions back to back, each waiting for its answer, for a warm-up
/// and then the measured window; a request counts in the window it completes in. Then the acknowledgements of the
/// measured tickets are awaited at the fake SendGrid.
/// </summary>
internal static class WebFormLoad
{
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    private static readonly Uri Submit = new("api/intake/web", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>Clients posting from now to the end of <paramref name="window"/>; returns the requests that completed in it, in the order they started.</summary>
    public static async Task<IReadOnlyList<SubmissionResult>> RunClientsAsync(
        Uri server, int concurrency, MeasuredWindow window, CancellationToken cancellationToken)
    {
        var results = await RunAsync(server, concurrency, _ => !window.IsOver, cancellationToken).ConfigureAwait(false);
        return [.. results.Where(r => window.Contains(r.EndedAt))];
    }

    /// <summary>Exactly <paramref name="count"/> submissions, in the order they started.</summary>
    public static Task<IReadOnlyList<SubmissionResult>> PostAsync(Uri server, int concurrency, int count, CancellationToken cancellationToken) =>
        RunAsync(server, concurrency, n => n < count, cancellationToken);

    /// <summary>Clients that post while <paramref name="more"/> says so of the next submission's number.</summary>
    private static async Task<IReadOnlyList<SubmissionResult>> RunAsync(
        Uri server, int concurrency, Func<long, bool> more, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var run = Guid.NewGuid().ToString("N")[..8];
        var next = -1L;
        var perClient = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            var results = new List<SubmissionResult>();
            for (var n = Interlocked.Increment(ref next); more(n); n = Interlocked.Increment(ref next))
            {
                results.Add(await PostAsync(http, Submissions.Json(run, n), cancellationToken).ConfigureAwait(false));
            }

            return results;
        })).ConfigureAwait(false);

        return [.. perClient.SelectMany(r => r).OrderBy(r => r.StartedAt)];
    }

    /// <summary>
    /// Waits up to <see cref="AckTimeout"/> for the acknowledgements of the accepted <paramref name="measured"/> tickets;
    /// returns each one's delay from the start of its request, null for those that never came, and how long it waited.
    /// </summary>
    public static async Task<(IReadOnlyList<TimeSpan?> Delays, TimeSpan Waited)> WaitForAcknowledgementsAsync(
        ReceivingSendGrid sendGrid, IReadOnlyList<SubmissionResult> measured, CancellationToken cancellationToken)
    {
        var tickets = measured.Where(r => r.Status == (int)HttpStatusCode.Accepted && r.TicketId is not null).ToList();
        var waiting = Stopwatch.StartNew();
        var missing = tickets.Select(r => r.TicketId!).ToList();
        while (waiting.Elapsed < AckTimeout)
        {
            missing.RemoveAll(id => sendGrid.TryGetArrival(id, out _));
            if (missing.Count == 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        var delays = tickets
            .Select(r => sendGrid.TryGetArrival(r.TicketId!, out var arrived) ? Stopwatch.GetElapsedTime(r.StartedAt, arrived) : (TimeSpan?)null)
            .ToList();
        return (delays, waiting.Elapsed);
    }

    private static async Task<SubmissionResult> PostAsync(HttpClient http, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsync(Submit, content, cancellationToken).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var ended = Stopwatch.GetTimestamp();
            string? ticketId = null;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                using var json = JsonDocument.Parse(answer);
                ticketId = json.RootElement.TryGetProperty("ticketId", out var id) ? id.GetString() : null;
            }

            return new SubmissionResult(started, ended, (int)response.StatusCode, ticketId);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No answer (refused, reset, or the client's timeout): counts as a failed request, not a broken run.
            return new SubmissionResult(started, Stopwatch.GetTimestamp(), 0, null);
        }
    }
}
