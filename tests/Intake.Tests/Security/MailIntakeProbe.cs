using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Intake.Channels.Email;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>What the email tests of this folder post and look at: the webhook's answer, the stored ticket, its thread, its blobs, every stored row.</summary>
internal static class MailIntakeProbe
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed record Outcome(string Status, string TicketId, string Reference);

    public static async Task<Outcome> PostAsync(HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Channels.Email.InboundParsePosts.Endpoint, content, Cancellation);
            var body = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return new Outcome(
                root.GetProperty("status").GetString()!,
                root.TryGetProperty("ticketId", out var id) ? id.GetString() ?? "" : "",
                root.TryGetProperty("reference", out var reference) ? reference.GetString() ?? "" : "");
        }
    }

    public static TicketStore Store(IntakeHost host) => host.Services.GetRequiredService<TicketStore>();

    public static async Task<Ticket> TicketAsync(IntakeHost host, string id) =>
        (await Store(host).GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");

    public static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await Store(host).GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];

    public static Task<SendGridRequest> MailToAsync(IntakeHost host, string ticketId) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.FirstOrDefault(m => m.CustomArg("ticketId") == ticketId)), $"a mail about ticket {ticketId}");

    public static Azure.Storage.Blobs.BlobContainerClient Container(IntakeHost host) => host.Services.GetRequiredService<AttachmentStore>().Container;

    public static async Task<List<string>> BlobNamesAsync(IntakeHost host, string prefix = "")
    {
        var names = new List<string>();
        await foreach (var item in host.Services.GetRequiredService<AttachmentStore>().Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Cancellation))
        {
            names.Add(item.Name);
        }

        return names;
    }

    public static async Task<byte[]> BlobAsync(IntakeHost host, string ticketId, string blob) =>
        (await host.Services.GetRequiredService<AttachmentStore>().Container.GetBlobClient($"{ticketId}/{blob}").DownloadContentAsync(Cancellation)).Value.Content.ToArray();

    /// <summary>
    /// Fails when any table row or blob of this host holds <paramref name="secret"/> (blobs read as UTF-8 and as Latin-1).
    /// Says where, never what.
    /// </summary>
    public static async Task AssertNowhereStoredAsync(IntakeHost host, string secret)
    {
        foreach (var table in new[] { TicketStore.TicketsTable, TicketStore.IndexTable })
        {
            var client = new TableClient(host.ConnectionString, host.Prefix + table);
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: Cancellation))
            {
                foreach (var (key, value) in row)
                {
                    Assert.False(value is string text && text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"A secret is stored in {table} {row.PartitionKey}/{row.RowKey} {key}.");
                }
            }
        }

        var container = host.Services.GetRequiredService<AttachmentStore>().Container;
        foreach (var name in await BlobNamesAsync(host))
        {
            Assert.DoesNotContain(secret, name, StringComparison.OrdinalIgnoreCase);
            var content = (await container.GetBlobClient(name).DownloadContentAsync(Cancellation)).Value.Content.ToArray();
            Assert.False(
                Encoding.UTF8.GetString(content).Contains(secret, StringComparison.OrdinalIgnoreCase) || Encoding.Latin1.GetString(content).Contains(secret, StringComparison.OrdinalIgnoreCase),
                $"A secret is stored in blob {name}.");
        }
    }
}
