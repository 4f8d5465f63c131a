using System.Net;
using System.Text.Json;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Email.InboundParsePosts;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// Mail whose sender breaks RFC 5322, as real clients and servers send it, through the real endpoint: never refused
/// (SendGrid does not retry a 4xx, so a refusal loses the mail), the sender found wherever it is written.
/// </summary>
public sealed class LenientSenderTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> FromShapes => new()
    {
        // No From at all: the Reply-To.
        { "Reply-To: Alice <alice@customer.example>", "alice@customer.example", "no From" },
        // An empty address in brackets: the Reply-To.
        { "From: \"Alice Chen\" <>\nReply-To: alice@customer.example", "alice@customer.example", "empty brackets" },
        // Spaces inside the address: the address as written, its local part quoted.
        { "From: Alice Chen <alice chen@customer.example>", "\"alice chen\"@customer.example", "spaces" },
        // Name and address without brackets.
        { "From: Alice Chen alice@customer.example", "alice@customer.example", "no brackets" },
        // The obsolete syntax: white space before the colon.
        { "From  : Alice Chen <alice@customer.example>", "alice@customer.example", "obsolete colon" },
    };

    [Theory]
    [MemberData(nameof(FromShapes))]
    public async Task A_raw_mail_with_an_unusual_from_makes_a_ticket_for_the_sender_it_names(string fromHeaders, string address, string shape)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var (status, body) = await PostAsync(client, Raw($"""
            {fromHeaders}
            To: {Support}
            Subject: Withdrawal stuck
            Message-ID: <shape-{shape.Replace(' ', '-')}@customer.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            My withdrawal of 500 USDT has been pending for 6 hours.
            """, envelopeFrom: null));

        Assert.True(status == HttpStatusCode.OK, $"{shape}: {(int)status} {body}");
        var ticket = await TicketAsync(host, body);
        Assert.Equal(address, ticket.Contact.Email);
        Assert.DoesNotContain(ChannelFlags.NoSenderAddress, ticket.Flags);
    }

    [Theory]
    [InlineData("Alice Chen alice@customer.example", "alice@customer.example")]
    [InlineData("\"Alice Chen\" <>", "bounce-box@customer.example")]
    public async Task A_parsed_mail_with_an_unusual_from_field_falls_back_to_what_names_an_address(string from, string address)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var (status, body) = await PostAsync(client, Parsed("My deposit is missing.", from: from, envelopeFrom: "bounce-box@customer.example"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(address, (await TicketAsync(host, body)).Contact.Email);
    }

    [Fact]
    public async Task A_mail_with_no_address_anywhere_makes_a_flagged_ticket_and_no_mail_goes_out()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var (status, body) = await PostAsync(client, Raw("""
            From: Alice Chen
            Subject: Account locked
            Message-ID: <nobody-1@customer.example>

            I cannot log in to my account since yesterday.
            """, envelopeFrom: null));
        var (sentinelStatus, _) = await PostAsync(client, Parsed("How do I enable 2FA?", from: "other@customer.example", messageId: "<other-1@customer.example>"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (status, sentinelStatus));
        var ticket = await TicketAsync(host, body);
        Assert.Contains(ChannelFlags.NoSenderAddress, ticket.Flags);
        Assert.Null(ticket.Contact.Email);
        Assert.Equal("Alice Chen", ticket.Contact.Name);
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the sentinel's acknowledgement");
        await Task.Delay(300, Cancellation);
        Assert.Equal("other@customer.example", Assert.Single(host.SendGrid.Mails).ToEmail);
    }

    [Fact]
    public async Task A_bounce_from_a_mailer_daemon_without_an_address_marks_our_message_bounced()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var (_, first) = await PostAsync(client, Parsed("My deposit is missing.", from: "gone@customer.example"));
        var ticketId = Field(first, "ticketId");
        var acknowledgement = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");
        await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).FirstOrDefault(o => o.Status == OutboundStatus.Sent), "the sent record");

        var (status, bounce) = await PostAsync(client, Raw($"""
            From: MAILER-DAEMON (Mail Delivery System)
            To: {Support}
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="rep"

            --rep
            Content-Type: text/plain; charset=us-ascii

            Your message could not be delivered.
            --rep
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.customer.example

            Final-Recipient: rfc822; gone@customer.example
            Action: failed
            Status: 5.1.1
            --rep
            Content-Type: text/rfc822-headers

            From: Support <{Support}>
            Message-ID: {acknowledgement.MailHeader("Message-ID")}
            --rep--
            """, envelopeFrom: null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bounce_recorded", Field(bounce, "status"));
        Assert.Equal(OutboundStatus.Bounced, Assert.Single(await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).Status);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, HttpContent content)
    {
        using (content)
        {
            using var response = await client.PostAsync(Endpoint, content, Cancellation);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
        }
    }

    private static async Task<Ticket> TicketAsync(IntakeHost host, string outcome)
    {
        var id = Field(outcome, "ticketId");
        return (await host.Services.GetRequiredService<TicketStore>().GetAsync(id, Cancellation))?.Ticket ?? throw new InvalidOperationException($"No ticket {id}.");
    }

    internal static string Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetString()!;
    }
}
