using System.Net;
using Intake.Hosting;
using Intake.Storage;
using Intake.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Integration;

/// <summary>
/// The real server (<c>Intake.Server</c>'s Program) over the shared Azurite, with its own table and queue prefix,
/// and SendGrid pointed at an in-process fake that records what it receives.
/// </summary>
public sealed class IntakeHost : IAsyncDisposable
{
    public const string SendGridKey = "SG.test-key";
    public const string FromEmail = "support@exchange.example";

    private readonly WebApplicationFactory<Program> _factory;

    private IntakeHost(WebApplicationFactory<Program> factory, FakeSendGrid sendGrid, string prefix, string connectionString)
    {
        _factory = factory;
        SendGrid = sendGrid;
        Prefix = prefix;
        ConnectionString = connectionString;
    }

    /// <summary>This host's table and queue name prefix.</summary>
    public string Prefix { get; }

    public string ConnectionString { get; }

    /// <summary>How many tickets this host has stored.</summary>
    public async Task<int> CountTicketsAsync()
    {
        var table = new Azure.Data.Tables.TableClient(ConnectionString, Prefix + Intake.Tickets.TicketStore.TicketsTable);
        var count = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "ticket", select: ["RowKey"], cancellationToken: TestContext.Current.CancellationToken))
        {
            count++;
        }

        return count;
    }

    public FakeSendGrid SendGrid { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the host in memory, or with <paramref name="kestrel"/> on a free port of 127.0.0.1 for clients that need
    /// a real socket (a browser); <see cref="BaseAddress"/> says where. <paramref name="logs"/>, when given, receives every
    /// log entry of the host. <paramref name="time"/>, when given, is the host's clock (a <see cref="ShiftedClock"/> lets a
    /// test move days ahead while timers and delays keep real time). <paramref name="services"/>, when given, registers
    /// after the host's own services, so its registrations win (a real queue that can be made to fail). <paramref name="port"/>,
    /// with <paramref name="kestrel"/>, is the port to listen on when the test must know it first (its links' public address).
    /// </summary>
    public static async Task<IntakeHost> StartAsync(
        AzuriteFixture azurite, IReadOnlyDictionary<string, string>? settings = null, bool kestrel = false, ILoggerProvider? logs = null, TimeProvider? time = null,
        Action<IServiceCollection>? services = null, int port = 0)
    {
        var sendGrid = new FakeSendGrid();
        await sendGrid.StartAsync(TestContext.Current.CancellationToken);
        var prefix = TestStorage.NewPrefix();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting(StorageAccount.ConnectionSetting, azurite.ConnectionString)
                .UseSetting("Storage:Prefix", prefix)
                .UseSetting("Worker:IdleDelay", "00:00:00.050")
                .UseSetting("SendGrid:BaseUrl", sendGrid.BaseUrl.ToString())
                .UseSetting("SendGrid:ApiKey", SendGridKey)
                .UseSetting("SendGrid:FromEmail", FromEmail)
                .UseSetting("Intake:SigningKey", "test-signing-key-of-at-least-32-characters");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }

            if (time is not null)
            {
                host.ConfigureTestServices(services => services.AddSingleton(time));
            }

            if (services is not null)
            {
                host.ConfigureTestServices(services);
            }

            if (logs is not null)
            {
                host.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            }
        });
        if (kestrel)
        {
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
            factory.StartServer();
        }
        else
        {
            _ = factory.Server;
        }

        // Program refuses a bad configuration before the host starts and returns its exit code, which the factory takes for
        // a start: fail here, as the process would, with the line it printed.
        if (!factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested)
        {
            var problem = IntakeRun.ConfigurationProblem(factory.Services) ?? "The host did not start.";
            await factory.DisposeAsync();
            await sendGrid.DisposeAsync();
            throw new InvalidOperationException(problem);
        }

        return new IntakeHost(factory, sendGrid, prefix, azurite.ConnectionString);
    }

    /// <summary>Where a Kestrel host listens (the in-memory host's clients need no address).</summary>
    public Uri BaseAddress => new(_factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public HttpClient CreateClient() => _factory.CreateClient();

    public HttpClient CreateClient(WebApplicationFactoryClientOptions options) => _factory.CreateClient(options);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await SendGrid.DisposeAsync();
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Waited 15 seconds for {what}.");
    }
}
