using Azure.Storage.Blobs;
using Intake.Hosting;
using Intake.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Email;

public static class EmailChannelHosting
{
    /// <summary>
    /// Inbound email: <see cref="EmailInboundOptions"/> from the <c>SendGrid</c> section (validated at start-up), the
    /// code-page charsets mail uses, Blob Storage for attachments (its container created at start-up) and the intake.
    /// </summary>
    public static IHostApplicationBuilder AddEmailChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EmailCharsets.Register();
        var services = builder.Services;
        services.AddOptions<EmailInboundOptions>().BindConfiguration(EmailInboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Resolved on first use, after start-up has settled the connection (Development may start Azurite first).
        services.TryAddSingleton(sp => new BlobServiceClient(IntakeHosting.StorageConnection(sp)));
        services.AddSingleton(sp => new AttachmentStore(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton<EmailIntake>();
        services.AddHostedService<AttachmentContainerInitializer>();
        return builder;
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
