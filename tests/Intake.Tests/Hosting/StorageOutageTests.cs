using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Storage;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Hosting;

/// <summary>
/// While storage or the queue does not answer, intake answers 503 with Retry-After, never 500 and never 2xx for what it
/// could not keep; the sender's retry after the outage is kept once and acknowledged once.
/// </summary>
public sealed class StorageOutageTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool> Exceptions => new()
    {
        { "503", true },
        { "500", true },
        { "429", true },
        { "no answer", true },
        { "409", false },
        { "412", false },
        { "tries", true },
        { "mixed tries", false },
        { "socket", true },
        { "timeout", true },
        { "queue", true },
        { "wrapped", true },
        { "bug", false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void An_outage_is_told_from_a_fault_of_ours(string what, bool outage)
    {
        Exception exception = what switch
        {
            "503" => new RequestFailedException(503, "Server busy"),
            "500" => new RequestFailedException(500, "Internal error"),
            "429" => new RequestFailedException(429, "Too many requests"),
            "no answer" => new RequestFailedException(0, "No response"),
            "409" => new RequestFailedException(409, "Conflict"),
            "412" => new RequestFailedException(412, "Precondition failed"),
            "tries" => new AggregateException(new RequestFailedException(503, "busy"), new HttpRequestException("refused")),
            "mixed tries" => new AggregateException(new RequestFailedException(503, "busy"), new InvalidOperationException("bug")),
            "socket" => new HttpRequestException("Connection refused"),
            "timeout" => new TimeoutException(),
            "queue" => new TicketQueueUnavailableException("tickets-high", isTransient: true, "Service Bus is busy", new InvalidOperationException()),
            "wrapped" => new InvalidOperationException("while storing", new RequestFailedException(503, "busy")),
            _ => new InvalidOperationException("a fault of ours"),
        };

        Assert.Equal(outage, StorageOutage.Is(exception));
    }

    [Fact]
    public async Task A_submission_while_the_queue_is_down_gets_503_with_retry_after_and_its_retry_one_ticket_and_one_acknowledgement()
    {
        await using var host = await IntakeHost.StartAsync(
            azurite,
            services: services =>
            {
                services.AddSingleton(sp => new SwitchableQueue(sp.GetRequiredService<StorageTicketQueue>()));
                services.AddSingleton<ITicketQueue>(sp => sp.GetRequiredService<SwitchableQueue>());
            });
        using var client = host.CreateClient();
        var queue = host.Services.GetRequiredService<SwitchableQueue>();
        var form = new { message = "My deposit of 2 ETH has not arrived after an hour.", email = "outage@example.com" };

        queue.Down = true;
        using var refused = await PostAsync(client, form, "outage-key-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(StorageOutage.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());

        queue.Down = false;
        using var accepted = await PostAsync(client, form, "outage-key-1");
        using var again = await PostAsync(client, form, "outage-key-1");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var ticketId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("ticketId").GetString()!;
        Assert.Equal(ticketId, (await again.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("ticketId").GetString());
        Assert.Equal(1, await host.CountTicketsAsync());
        await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).SingleOrDefault(o => o.Status == OutboundStatus.Sent),
            "the acknowledgement");
        await Task.Delay(300, Cancellation);
        Assert.Single(host.SendGrid.Mails);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object form, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/web", UriKind.Relative)) { Content = JsonContent.Create(form) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Cancellation);
    }
}
