using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Fakes;

/// <summary>
/// What every fake provider shares: a Kestrel server in this process on 127.0.0.1 and a free port, without logging,
/// that records each request it is sent. A fake says how it answers in <see cref="HandleAsync"/>.
/// </summary>
public abstract class RecordingFake<TRequest> : IAsyncDisposable
{
    private readonly List<TRequest> requests = [];
    private WebApplication? app;

    /// <summary>Where the fake listens, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request so far, oldest first; a copy, safe to enumerate while requests arrive.</summary>
    public IReadOnlyList<TRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (app is not null)
        {
            throw new InvalidOperationException($"{GetType().Name} has already started.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
            app = null;
        }

        GC.SuppressFinalize(this);
    }

    protected void Record(TRequest request)
    {
        lock (requests)
        {
            requests.Add(request);
        }
    }

    protected abstract Task HandleAsync(HttpContext context);
}
