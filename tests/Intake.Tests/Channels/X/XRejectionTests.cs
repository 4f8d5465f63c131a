using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Channels.X;
using Intake.Messaging;
using Intake.Storage;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.X.XFixtures;

namespace Intake.Tests.Channels.X;

/// <summary>
/// The CRC handshake, what the webhook refuses (never a ticket), what it accepts without storing anything, and a storage
/// failure in the middle of a batch.
/// </summary>
public sealed class XRejectionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Uri Webhook = new("/api/intake/x", UriKind.Relative);

    private readonly FakeX x = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await x.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await x.DisposeAsync();

    private static async Task<(HttpStatusCode Status, ProblemDetails? Problem)> PostAsync(HttpClient client, string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(XSignatures.SignatureHeader, signature);
        }

        using var response = await client.SendAsync(request, Cancellation);
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation)
            : null;
        return (response.StatusCode, problem);
    }

    private static async Task<(HttpStatusCode Status, ProblemDetails? Problem, string Body)> GetAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri("/api/intake/x" + query, UriKind.Relative), Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonSerializer.Deserialize<ProblemDetails>(body) : null;
        return (response.StatusCode, problem, body);
    }

    [Fact]
    public async Task The_crc_challenge_is_answered_with_the_hmac_of_the_token()
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, _, body) = await GetAsync(client, "?crc_token=crc-challenge-123");

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("sha256=jywOBp9zlmcAHI1R33bU/CBP+E8euYDx3iK+uDs5LC0=", json.RootElement.GetProperty("response_token").GetString());
        Assert.Single(json.RootElement.EnumerateObject());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?crc_token=")]
    [InlineData("?crc_token=a&crc_token=b")]
    [InlineData("?other=1")]
    public async Task A_crc_request_without_exactly_one_token_gets_400(string query)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, problem, _) = await GetAsync(client, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem?.Status);
    }

    [Fact]
    public async Task An_over_long_crc_token_gets_400()
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, problem, _) = await GetAsync(client, "?crc_token=" + new string('a', XEndpoints.MaxCrcTokenLength + 1));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem?.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("forged-with-another-secret")]
    [InlineData("signature-of-another-body")]
    [InlineData("unprefixed")]
    public async Task A_forged_or_missing_signature_gets_401_and_nothing_is_stored(string? signature)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();
        var body = Text("1630000000000002001", "my withdrawal is stuck");
        signature = signature switch
        {
            "forged-with-another-secret" => Sign(body, ConsumerSecret + "x"),
            "signature-of-another-body" => Sign(Text("1630000000000002002", "my withdrawal is stuck")),
            "unprefixed" => Sign(body)["sha256=".Length..],
            _ => signature,
        };

        var (status, problem) = await PostAsync(client, body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, Cancellation);
        Assert.Empty(x.Requests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Without_a_consumer_secret_the_webhook_is_off(string? secret)
    {
        var settings = x.Settings(ConsumerSecret);
        settings.Remove("X:ConsumerSecret");
        if (secret is not null)
        {
            settings["X:ConsumerSecret"] = secret;
        }

        await using var host = await IntakeHost.StartAsync(azurite, settings);
        using var client = host.CreateClient();
        var body = Text("1630000000000002101", "my withdrawal is stuck");

        var (postStatus, postProblem) = await PostAsync(client, body, Sign(body));
        var (getStatus, getProblem, _) = await GetAsync(client, "?crc_token=crc-challenge-123");

        Assert.Equal(HttpStatusCode.NotFound, postStatus);
        Assert.Equal(404, postProblem?.Status);
        Assert.Equal(HttpStatusCode.NotFound, getStatus);
        Assert.Equal(404, getProblem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"direct_message_events\"")]
    [InlineData("""{"for_user_id":"3001","direct_message_events":"none"}""")]
    [InlineData("""{"direct_message_events":[{"type":"message_create","id":"1","message_create":{"sender_id":"2","message_data":{"text":"hi"}}}]}""")]
    public async Task A_signed_body_that_is_not_a_payload_gets_400_and_nothing_is_stored(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_gets_413()
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();
        var body = Text("1630000000000002301", new string('a', 1024 * 1024));

        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("""{"for_user_id":"3001","favorite_events":[{"id":"1","created_at":"Mon Mar 26 16:33:26 +0000 2018","favorited_status":{"id_str":"2","text":"hello"}}]}""")]
    [InlineData("""{"for_user_id":"3001","follow_events":[{"type":"follow","created_timestamp":"1517588749178","target":{"id":"3001"},"source":{"id":"4455667788"}}]}""")]
    [InlineData("""{"for_user_id":"3001","tweet_create_events":[{"id_str":"3","text":"@exchange_support my withdrawal is stuck","user":{"id_str":"4455667788"}}]}""")]
    [InlineData("""{"for_user_id":"3001","direct_message_events":[{"type":"message_create","id":"4","message_create":{"target":{"recipient_id":"4455667788"},"sender_id":"3001","message_data":{"text":"our own"}}}]}""")]
    [InlineData("""{"for_user_id":"3001","direct_message_events":[{"type":"message_create","id":"5","message_create":{"target":{"recipient_id":"3001"},"sender_id":"4455667788","message_data":{"text":"  "}}}]}""")]
    public async Task A_payload_without_a_customer_message_gets_200_and_nothing_is_stored(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(ConsumerSecret));
        using var client = host.CreateClient();

        var (status, _) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(x.Requests);
    }

    [Fact]
    public async Task When_storage_is_out_of_reach_for_one_event_the_others_are_stored_the_answer_is_503_and_the_redelivery_completes_it()
    {
        var queue = new FailingQueue("x:1630000000000002502");
        await using var factory = HostWithQueue(queue);
        using var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<TicketStore>();
        var body = Payload(
            Event("1630000000000002501", "5501", "my deposit is missing"),
            Event("1630000000000002502", "5502", "my withdrawal is stuck"),
            Event("1630000000000002503", "5503", "I cannot log in"));

        var (status, problem) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(503, problem?.Status);
        Assert.Equal(["x:1630000000000002501", "x:1630000000000002503"], queue.Enqueued.Order(StringComparer.Ordinal));

        queue.Recover();
        var (again, _) = await PostAsync(client, body, Sign(body));

        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Contains("x:1630000000000002502", queue.Enqueued);
        var tickets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in new[] { "1630000000000002501", "1630000000000002502", "1630000000000002503" })
        {
            var ticket = await store.FindByProviderMessageAsync("x", id, Cancellation);
            Assert.NotNull(ticket);
            Assert.Single(await store.GetMessagesAsync(ticket.Ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
            tickets.Add(ticket.Ticket.Id);
        }

        Assert.Equal(3, tickets.Count);
    }

    /// <summary>The real host with a ticket queue that fails for one message until told to recover (storage down for it).</summary>
    private WebApplicationFactory<Program> HostWithQueue(FailingQueue queue) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting(StorageAccount.ConnectionSetting, azurite.ConnectionString)
                .UseSetting("Storage:Prefix", TestStorage.NewPrefix())
                .UseSetting("Worker:Enabled", "false")
                .UseSetting("Intake:SigningKey", "test-signing-key-of-at-least-32-characters");
            foreach (var (key, value) in x.Settings(ConsumerSecret))
            {
                host.UseSetting(key, value);
            }

            host.ConfigureTestServices(services => services.AddSingleton<ITicketQueue>(sp =>
            {
                queue.Inner = sp.GetRequiredService<StorageTicketQueue>();
                return queue;
            }));
        });

    private sealed class FailingQueue(string failingMessageId) : ITicketQueue
    {
        private readonly List<string> enqueued = [];
        private volatile bool recovered;

        public StorageTicketQueue? Inner { get; set; }

        public IReadOnlyList<string> Enqueued
        {
            get
            {
                lock (enqueued)
                {
                    return [.. enqueued];
                }
            }
        }

        public void Recover() => recovered = true;

        public async Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken)
        {
            if (!recovered && message.MessageId == failingMessageId)
            {
                throw new HttpRequestException("Storage is unreachable.");
            }

            await Inner!.EnqueueAsync(message, cancellationToken);
            lock (enqueued)
            {
                enqueued.Add(message.MessageId);
            }
        }
    }
}
