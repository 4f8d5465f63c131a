using Azure.Storage.Blobs;
using Intake.Outbound;
using Intake.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Email;

public static class EmailChannelHosting
{
    /// <summary>How long one call to SendGrid may take before the send counts as failed and the queue retries it.</summary>
    public static readonly TimeSpan SendGridTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The email channel: inbound, <see cref="EmailInboundOptions"/> from the <c>SendGrid</c> section (validated at
    /// start-up), the code-page charsets mail uses, Blob Storage for attachments (its container created at start-up) and
    /// the intake; outbound, the replies through SendGrid (<see cref="AddEmailReplies"/>).
    /// </summary>
    public static IHostApplicationBuilder AddEmailChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEmailReplies();
        EmailCharsets.Register();
        var services = builder.Services;
        services.AddOptions<EmailInboundOptions>().BindConfiguration(EmailInboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Resolved on first use, after start-up has settled the connection (Development may start Azurite first).
        services.TryAddSingleton(sp => new BlobServiceClient(StorageAccount.ConnectionString(sp)));
        services.AddSingleton(sp => new AttachmentStore(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton<EmailIntake>();
        services.AddHostedService<AttachmentContainerInitializer>();
        return builder;
    }

    /// <summary>
    /// Email replies through SendGrid: <see cref="SendGridOptions"/> from the <c>SendGrid</c> section (validated at
    /// start-up), the <c>SendGrid</c> named HttpClient, and the sender as one of the <see cref="IReplySender"/>s. Part of
    /// <see cref="AddEmailChannel"/>; alone, it needs no storage (the sender's own tests).
    /// </summary>
    internal static IHostApplicationBuilder AddEmailReplies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SendGridOptions>()
            .BindConfiguration(SendGridOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Redact every header value in HttpClient logs, whatever the framework's default, so the bearer key never appears.
        builder.Services.AddHttpClient(EmailReplySender.HttpClientName, client => client.Timeout = SendGridTimeout)
            .RedactLoggedHeaders(_ => true);

        builder.Services.AddSingleton<IReplySender, EmailReplySender>();
        return builder;
    }

    /// <summary>SendGrid Inbound Parse posts here (<c>POST /api/intake/email</c>); <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder api)
    {
        // A multipart post authenticated by the basic-auth credentials in its URL, with no session or cookie for a forged
        // post to ride on: an antiforgery token would protect nothing.
        api.MapPost("/intake/email", EmailEndpoints.ReceiveAsync).DisableAntiforgery();
        return api;
    }
}

/// <summary>Creates the attachments container before anything serves (after Development storage has started).</summary>
internal sealed class AttachmentContainerInitializer(IServiceProvider services) : IHostedLifecycleService
{
    // Resolved here, not injected: the storage connection may only be settled by a hosted service that starts first.
    public Task StartingAsync(CancellationToken cancellationToken) => services.GetRequiredService<AttachmentStore>().CreateContainerAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
