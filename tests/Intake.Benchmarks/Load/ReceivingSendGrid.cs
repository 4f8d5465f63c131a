using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Benchmarks.Load;

/// <summary>
/// SendGrid's <c>POST /v3/mail/send</c> as far as the load needs it, on 127.0.0.1 and a free port: 202 with an
/// <c>X-Message-Id</c>, and the moment each ticket's mail arrived (its <c>ticketId</c> custom arg), on
/// <see cref="Stopwatch.GetTimestamp"/>'s clock so that it compares with the clients' start times. For the fault run it
/// also counts every mail it accepted per ticket, and can answer 503 for a stretch of time (<see cref="FailFor"/>).
/// </summary>
internal sealed class ReceivingSendGrid : IAsyncDisposable
{
    public const string MailSendPath = "/v3/mail/send";

    private readonly ConcurrentDictionary<string, long> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _mailsPerTicket = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private int _mails;
    private int _refused;
    private long _unavailableUntil;

    private ReceivingSendGrid(WebApplication app) => _app = app;

    /// <summary>Where the fake listens, for <c>SendGrid:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every mail received, repeats for one ticket included.</summary>
    public int Mails => Volatile.Read(ref _mails);

    /// <summary>Tickets whose acknowledgement arrived.</summary>
    public int Tickets => _arrivals.Count;

    public static async Task<ReceivingSendGrid> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        var fake = new ReceivingSendGrid(builder.Build());
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = fake._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>Mails answered 503 while unavailable (<see cref="FailFor"/>).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>How many mails about <paramref name="ticketId"/> (its <c>ticketId</c> custom arg) were accepted with 202.</summary>
    public int MailsFor(string ticketId) => _mailsPerTicket.TryGetValue(ticketId, out var count) ? count : 0;

    /// <summary>From now on, for <paramref name="outage"/>, every mail is answered 503 and not counted, as during a provider outage.</summary>
    public void FailFor(TimeSpan outage) =>
        Volatile.Write(ref _unavailableUntil, Stopwatch.GetTimestamp() + (long)(outage.TotalSeconds * Stopwatch.Frequency));

    /// <summary>When the acknowledgement of <paramref name="ticketId"/> first arrived.</summary>
    public bool TryGetArrival(string ticketId, out long timestamp) => _arrivals.TryGetValue(ticketId, out timestamp);

    /// <summary>When each acknowledgement that has arrived so far first arrived.</summary>
    public IReadOnlyList<long> Arrivals => [.. _arrivals.Values];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path != MailSendPath)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var mail = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (arrived < Volatile.Read(ref _unavailableUntil))
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (mail.RootElement.GetProperty("personalizations")[0].TryGetProperty("custom_args", out var args)
            && args.TryGetProperty("ticketId", out var ticketId)
            && ticketId.GetString() is { } id)
        {
            _arrivals.TryAdd(id, arrived);
            _mailsPerTicket.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        Interlocked.Increment(ref _mails);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N");
    }
}
