using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Intake.Benchmarks.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// What the fault run's fake messaging APIs share (<see cref="ReceivingTelegram"/>, <see cref="ReceivingGraph"/>): a
/// Kestrel server in the run's process on 127.0.0.1 and a free port, the messages it accepted per recipient, and an
/// outage (<see cref="FailFor"/>) during which every send is refused as the provider refuses it when it cannot take it.
/// </summary>
internal abstract class ReceivingProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _accepted = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _refused;
    private long _unavailableUntil;

    /// <summary>Where the fake listens, for the channel's <c>BaseUrl</c> setting.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Sends refused while unavailable (<see cref="FailFor"/>).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>How many messages to <paramref name="recipient"/> (a chat id, a PSID) were accepted.</summary>
    public int MessagesTo(string recipient) => _accepted.TryGetValue(recipient, out var count) ? count : 0;

    /// <summary>From now on, for <paramref name="outage"/>, every send is refused and not counted, as during a provider outage.</summary>
    public void FailFor(TimeSpan outage) =>
        Volatile.Write(ref _unavailableUntil, Stopwatch.GetTimestamp() + (long)(outage.TotalSeconds * Stopwatch.Frequency));

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected static async Task<T> StartAsync<T>(T fake, CancellationToken cancellationToken)
        where T : ReceivingProvider
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        var app = builder.Build();
        fake._app = app;
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return fake;
    }

    /// <summary>Answers one request; calls <see cref="Unavailable"/> before it accepts a send, and <see cref="Accepted"/> once it does.</summary>
    protected abstract Task HandleAsync(HttpContext context);

    /// <summary>True, counting a refusal, while the fake is unavailable.</summary>
    protected bool Unavailable(out TimeSpan left)
    {
        left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _unavailableUntil));
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        Interlocked.Increment(ref _refused);
        return true;
    }

    protected void Accepted(string recipient) => _accepted.AddOrUpdate(recipient, 1, (_, count) => count + 1);

    protected static async Task AnswerAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body), context.RequestAborted).ConfigureAwait(false);
    }
}
