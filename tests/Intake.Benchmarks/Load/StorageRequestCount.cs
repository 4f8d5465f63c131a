using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Hosting;
using Intake.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Benchmarks.Load;

/// <summary>
/// <c>load --count-requests</c>: how many storage requests one web-form submission costs, end to end, and in which
/// step. The server's own composition (<c>AddIntake</c>, the queue worker, <c>MapIntake</c>) runs in process with its
/// Table and Queue clients on a counting HTTP handler; a request made while a web request is being handled counts
/// for the web request, any other for the worker.
/// </summary>
internal static class StorageRequestCount
{
    private const string WebRequest = "web request";
    private const string Worker = "worker";
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string connectionString, LoadSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        await using var sendGrid = await ReceivingSendGrid.StartAsync(cancellationToken).ConfigureAwait(false);
        var counter = new StorageRequestCounter();
        await using var app = BuildServer(connectionString, sendGrid, counter);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var server = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

        // Warm-up: connections, JIT, the first round of the worker.
        var warmup = await WebFormLoad.PostAsync(server, settings.Concurrency, settings.Concurrency * 2, cancellationToken).ConfigureAwait(false);
        await WebFormLoad.WaitForAcknowledgementsAsync(sendGrid, warmup, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync($"Counting: {settings.Submissions} submissions from {settings.Concurrency} clients…").ConfigureAwait(false);
        counter.Reset();
        var clock = Stopwatch.StartNew();
        var submitted = await WebFormLoad.PostAsync(server, settings.Concurrency, settings.Submissions, cancellationToken).ConfigureAwait(false);
        var (delays, _) = await WebFormLoad.WaitForAcknowledgementsAsync(sendGrid, submitted, cancellationToken).ConfigureAwait(false);

        // The worker deletes each queue message after its acknowledgement went out: wait for the last deletes.
        var accepted = submitted.Count(r => r.Status == (int)HttpStatusCode.Accepted);
        for (var i = 0; i < 50 && counter.Count(Worker, "delete message") < accepted; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        var busy = counter.Snapshot();
        var busyTime = clock.Elapsed;

        counter.Reset();
        await Task.Delay(IdleWindow, cancellationToken).ConfigureAwait(false);
        var idle = counter.Snapshot();

        await output.WriteLineAsync(Format(busy, busyTime, idle, accepted, delays.Count(d => d is not null))).ConfigureAwait(false);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static WebApplication BuildServer(string connectionString, ReceivingSendGrid sendGrid, StorageRequestCounter counter)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["Storage:Prefix"] = "count" + Guid.NewGuid().ToString("N")[..12],
            ["Intake:SigningKey"] = "count-signing-key-" + Guid.NewGuid().ToString("N"),
            ["SendGrid:BaseUrl"] = sendGrid.BaseUrl.ToString(),
            ["SendGrid:ApiKey"] = "SG.count-test-key",
            ["SendGrid:FromEmail"] = "support@exchange.example",
            ["WebForm:SubmissionsPerWindow"] = "10000",
            ["WebForm:Window"] = "00:00:01",
        });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IHostLifetime, NoConsoleLifetime>();
        builder.AddIntake();
        builder.AddStorageQueueWorker();

        // Registered last, so these are the clients everything resolves.
        builder.Services.AddSingleton(new TableServiceClient(connectionString, new TableClientOptions { Transport = Counted(counter, "table") }));
        builder.Services.AddSingleton(new QueueServiceClient(
            connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64, Transport = Counted(counter, "queue") }));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            StorageRequestCounter.Phase.Value = WebRequest;
            await next(context).ConfigureAwait(false);
        });
        app.MapIntake();
        return app;
    }

    private static HttpClientTransport Counted(StorageRequestCounter counter, string service) =>
        new(new HttpClient(new CountingHandler(counter, service) { InnerHandler = new SocketsHttpHandler() }));

    private static string Format(IReadOnlyDictionary<(string Phase, string Operation), int> busy, TimeSpan busyTime,
        IReadOnlyDictionary<(string Phase, string Operation), int> idle, int accepted, int acknowledged)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(Invariant($"{accepted} submissions accepted, {acknowledged} acknowledged, in {busyTime.TotalSeconds:0.0} s; storage requests per submission:"));
        foreach (var phase in new[] { WebRequest, Worker })
        {
            var rows = busy.Where(c => c.Key.Phase == phase && c.Key.Operation != StorageRequestCounter.MessagesReceived).OrderByDescending(c => c.Value).ToList();
            text.AppendLine(Invariant($"  {phase}: {Per(rows.Sum(r => r.Value), accepted)}"));
            foreach (var row in rows)
            {
                text.AppendLine(Invariant($"    {Per(row.Value, accepted),6}  {row.Key.Operation}"));
            }
        }

        var all = busy.Where(c => c.Key.Operation != StorageRequestCounter.MessagesReceived).Sum(c => c.Value);
        var polls = busy.Where(c => c.Key.Operation.StartsWith("receive (empty)", StringComparison.Ordinal)).Sum(c => c.Value);
        text.AppendLine(Invariant($"  total: {Per(all, accepted)} per submission, of which {Per(polls, accepted)} receives that found nothing"));
        text.AppendLine(Invariant($"  queue messages received: {busy.Where(c => c.Key.Operation == StorageRequestCounter.MessagesReceived).Sum(c => c.Value)}"));
        var idleReceives = idle.Where(c => c.Key.Operation.StartsWith("receive", StringComparison.Ordinal)).Sum(c => c.Value);
        text.AppendLine(Invariant($"  idle, no submissions: {idleReceives / IdleWindow.TotalSeconds:0.0} receives/s, {idle.Values.Sum() / IdleWindow.TotalSeconds:0.0} storage requests/s in all"));
        return text.ToString();
    }

    private static string Per(int count, int submissions) => (count / (double)Math.Max(1, submissions)).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
