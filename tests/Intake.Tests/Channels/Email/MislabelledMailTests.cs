using System.Net;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// Mail whose labels are wrong or missing, as real gateways and clients send it, through the real endpoint: text before
/// the headers, a mail of nothing but a body. Read as what it is, never refused.
/// </summary>
public sealed class MislabelledMailTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("\r\n\r\n")]
    [InlineData("      \r\n")]
    [InlineData(" ")]
    [InlineData("From wang@customer.example Mon Nov 23 10:00:00 2026\r\n")]
    public async Task A_mail_after_blank_lines_white_space_or_an_mbox_from_line_is_read(string before)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw(before + $"""
            From: Wang <wang@customer.example>
            To: {Support}
            Subject: Withdrawal stuck
            Message-ID: <lead-{before.Length}@customer.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.Equal("wang@customer.example", ticket.Contact.Email);
        Assert.Equal("Withdrawal stuck", ticket.Subject);
    }

    [Fact]
    public async Task A_mail_of_nothing_but_a_body_and_its_type_is_kept_as_a_flagged_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var ticket = await PostAsync(host, client, Raw("""
            Content-Type: text/plain; charset=utf-8

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.Contains(ChannelFlags.NoSenderAddress, ticket.Flags);
        Assert.Equal("My withdrawal of 500 USDT has been pending for 6 hours.", Assert.Single(await InboundAsync(host, ticket.Id)).Text.Trim());
    }

    private static async Task<Ticket> PostAsync(IntakeHost host, HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Endpoint, content, Cancellation);
            var body = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            var id = LenientSenderTests.Field(body, "ticketId");
            return (await host.Services.GetRequiredService<TicketStore>().GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");
        }
    }

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];
}
