using System.Net;
using System.Text;
using Azure.Data.Tables;
using Intake.Tests.Channels.Email;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Corpus;

/// <summary>
/// Every fixture of the real-world corpus (<see cref="RealWorldFixtures"/>) posted through its channel's endpoint on the
/// real host over Azurite, every channel on, each in a host of its own: never a 5xx or a refusal, never an error logged,
/// and either a stored message holding content (not garbled into replacement characters) or, for what its folder's
/// <c>expected.tsv</c> says is no customer's message, nothing stored and the reason logged.
/// </summary>
public sealed class RealWorldFixtureTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TelegramSecret = "webhook-secret_0123456789";
    private const string MetaAppSecret = "app-secret-0123456789abcdef";
    private const string MetaVerifyToken = "verify-token-42";
    private const string XConsumerSecret = "consumer-secret-0123456789abcdefghijklmnopqrstuv";

    private readonly ChannelFakes fakes = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await fakes.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await fakes.DisposeAsync();

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (channel, file) in RealWorldFixtures.All())
        {
            data.Add(channel, file);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_fixtures_of_every_channel_each_named_in_its_sources()
    {
        foreach (var channel in RealWorldFixtures.Channels)
        {
            var files = RealWorldFixtures.All().Where(f => f.Channel == channel).Select(f => f.File).ToList();
            Assert.True(files.Count > 0, $"Data/RealWorld/{channel} has no fixtures.");
            var sources = Path.Combine(RealWorldFixtures.Root, channel, "SOURCES.md");
            Assert.True(File.Exists(sources), $"Data/RealWorld/{channel} has no SOURCES.md.");
            var text = File.ReadAllText(sources);
            Assert.Contains("Licence", text, StringComparison.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                Assert.True(text.Contains(Path.GetFileName(file), StringComparison.Ordinal), $"Data/RealWorld/{channel}/SOURCES.md does not name {file}.");
            }

            foreach (var listed in RealWorldFixtures.Expectations(channel).Keys)
            {
                Assert.Contains(listed, files);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task A_real_world_delivery_is_accepted_and_stored_or_left_out_with_its_reason_logged(string channel, string file)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, channel, RealWorldFixtures.Read(channel, file));

        await AssertHandledAsync(host, channel, file, status);
    }

    public static TheoryData<string> Mails()
    {
        var data = new TheoryData<string>();
        foreach (var (_, file) in RealWorldFixtures.All().Where(f => f.Channel == "email"))
        {
            data.Add(file);
        }

        return data;
    }

    /// <summary>The same mails in SendGrid's default mode, where it has parsed them into fields: they must fare as well.</summary>
    [Theory]
    [MemberData(nameof(Mails))]
    public async Task A_real_world_mail_posted_as_sendgrids_parsed_fields_is_accepted_and_stored_or_left_out_with_its_reason_logged(string file)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, InboundParsePosts.Endpoint)
        {
            Content = SendGridParsedPost.From(RealWorldFixtures.Read("email", file), InboundParsePosts.Support),
        };
        request.Headers.Authorization = InboundParsePosts.Credentials();

        using var response = await client.SendAsync(request, Cancellation);

        await AssertHandledAsync(host, "email", file, response.StatusCode);
    }

    private Task<IntakeHost> StartHostAsync() =>
        IntakeHost.StartAsync(azurite, fakes.Settings(TelegramSecret, MetaAppSecret, MetaVerifyToken, XConsumerSecret, InboundParsePosts.Settings()), logs: logs);

    private async Task AssertHandledAsync(IntakeHost host, string channel, string file, HttpStatusCode status)
    {
        var expectation = RealWorldFixtures.ExpectationOf(channel, file);
        Assert.True((int)status is >= 200 and < 300, $"{channel}/{file} was answered {(int)status} {status}.");
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
        var inbound = await InboundMessagesAsync(host);
        if (expectation.IsMessage)
        {
            Assert.True(inbound.Count > 0, $"{channel}/{file} was answered {(int)status} and stored no message. Logged:\n{string.Join('\n', Informational())}");
            Assert.All(inbound, stored => Assert.True(
                stored.Message.Text.Trim().Length > 0 || stored.Message.Details?.Attachments.Count > 0 || !string.IsNullOrWhiteSpace(stored.Subject),
                $"{channel}/{file} was stored as an empty message."));
            if (expectation.Outcome == RealWorldFixtures.Expectation.Message)
            {
                Assert.All(inbound, stored => Assert.False(
                    (stored.Subject + stored.Message.Text).Contains('\uFFFD', StringComparison.Ordinal), $"{channel}/{file} was stored garbled: {stored.Subject}\n{stored.Message.Text}"));
            }
        }
        else
        {
            Assert.True(inbound.Count == 0, $"{channel}/{file} is listed as no customer's message ({expectation.Why}) but {inbound.Count} were stored.");
            Assert.True(
                Informational().Any(line => line.Contains(expectation.Reason!, StringComparison.Ordinal)),
                $"{channel}/{file} left out without logging '{expectation.Reason}'. Logged:\n{string.Join('\n', Informational())}");
        }
    }

    /// <summary>The host's log at Information and above, where an operator looks for why a delivery made no ticket.</summary>
    private IEnumerable<string> Informational() =>
        logs.Lines.Where(line => line.StartsWith("Information ", StringComparison.Ordinal) || line.StartsWith("Warning ", StringComparison.Ordinal));

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string channel, byte[] fixture)
    {
        using var request = channel switch
        {
            "email" => Email(fixture),
            "telegram" => Json("/api/intake/telegram", RealWorldFixtures.TelegramUpdate(fixture), "X-Telegram-Bot-Api-Secret-Token", _ => TelegramSecret),
            "messenger" or "instagram" or "whatsapp" => Json("/api/intake/meta", Encoding.UTF8.GetString(fixture), "X-Hub-Signature-256", body => Channels.Meta.MetaFixtures.Sign(body, MetaAppSecret)),
            "x" => Json("/api/intake/x", Encoding.UTF8.GetString(fixture), "x-twitter-webhooks-signature", body => Channels.X.XFixtures.Sign(body, XConsumerSecret)),
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
        };
        using var response = await client.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    /// <summary>A whole mail as SendGrid's raw mode posts it, with the envelope sender taken from nothing: the mail must name its own.</summary>
    private static HttpRequestMessage Email(byte[] mime)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, InboundParsePosts.Endpoint) { Content = InboundParsePosts.Raw(mime, envelopeFrom: null) };
        request.Headers.Authorization = InboundParsePosts.Credentials();
        return request;
    }

    private static HttpRequestMessage Json(string path, string body, string header, Func<string, string> sign)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(header, sign(body));
        return request;
    }

    /// <summary>Every inbound message the host stored, on any ticket, with its ticket's subject.</summary>
    private static async Task<List<(string? Subject, TicketMessage Message)>> InboundMessagesAsync(IntakeHost host)
    {
        var tickets = new TableClient(host.ConnectionString, host.Prefix + TicketStore.TicketsTable);
        var store = host.Services.GetRequiredService<TicketStore>();
        var messages = new List<(string?, TicketMessage)>();
        await foreach (var head in tickets.QueryAsync<TableEntity>(e => e.RowKey == "ticket", select: ["Id", "Subject"], cancellationToken: Cancellation))
        {
            var inbound = (await store.GetMessagesAsync(head.GetString("Id"), Cancellation)).Where(m => m.Direction == MessageDirection.Inbound);
            messages.AddRange(inbound.Select(message => ((string?)head.GetString("Subject"), message)));
        }

        return messages;
    }
}
