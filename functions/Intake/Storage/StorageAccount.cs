using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Storage;

/// <summary>
/// The storage account that <c>AzureWebJobsStorage</c> names, in either shape Azure Functions accepts: a connection
/// string (Azurite locally, <c>UseDevelopmentStorage=true</c>), or identity-based children —
/// <c>AzureWebJobsStorage__accountName</c>, or <c>__blobServiceUri</c>, <c>__queueServiceUri</c> and <c>__tableServiceUri</c> —
/// with an optional <c>__credential</c> and <c>__clientId</c>. <see cref="Tables"/>, <see cref="Queues"/> and
/// <see cref="Blobs"/> are each client's settings in the shape Microsoft.Extensions.Azure's <c>AddAzureClients</c> reads
/// (constructor parameter names: <c>connectionString</c>, or <c>endpoint</c> for Tables and <c>serviceUri</c> for the others).
/// </summary>
public sealed class StorageAccount
{
    /// <summary>The setting that names the storage account, as in Azure Functions.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    private StorageAccount(IConfiguration tables, IConfiguration queues, IConfiguration blobs)
    {
        Tables = tables;
        Queues = queues;
        Blobs = blobs;
    }

    public IConfiguration Tables { get; }

    public IConfiguration Queues { get; }

    public IConfiguration Blobs { get; }

    public static StorageAccount From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConnectionSetting);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            var connection = Settings(("connectionString", section.Value));
            return new StorageAccount(connection, connection, connection);
        }

        var account = section["accountName"];
        var tables = ServiceUri(section, "tableServiceUri", account, "table");
        var queues = ServiceUri(section, "queueServiceUri", account, "queue");
        var blobs = ServiceUri(section, "blobServiceUri", account, "blob");
        if (tables is null || queues is null || blobs is null)
        {
            throw new InvalidOperationException(
                $"{ConnectionSetting} is not configured: set it to a connection string, or set " +
                $"{ConnectionSetting}__accountName (or __blobServiceUri, __queueServiceUri and __tableServiceUri) " +
                "for a managed identity.");
        }

        return new StorageAccount(
            Settings(("endpoint", tables), ("credential", section["credential"]), ("clientId", section["clientId"])),
            Settings(("serviceUri", queues), ("credential", section["credential"]), ("clientId", section["clientId"])),
            Settings(("serviceUri", blobs), ("credential", section["credential"]), ("clientId", section["clientId"])));
    }

    /// <summary>
    /// The connection string the clients built from a connection (not an identity) are made from. Read when a client is
    /// first resolved, after start-up has settled it (Development may start Azurite first).
    /// </summary>
    internal static string ConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()[ConnectionSetting] is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException($"{ConnectionSetting} is not configured.");

    private static string? ServiceUri(IConfigurationSection section, string key, string? account, string service) =>
        section[key] is { Length: > 0 } uri ? uri
        : account is { Length: > 0 } ? $"https://{account}.{service}.core.windows.net"
        : null;

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(s => s.Value is not null).Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build();
}
