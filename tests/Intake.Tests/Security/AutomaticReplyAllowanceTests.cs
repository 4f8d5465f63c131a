using System.Net;
using System.Net.Http.Json;
using Intake.Channels.WebForm;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the daily allowance of automatic messages per address (DESIGN §5) is what stops a form from turning us into a
/// mail bomb against a victim. Counted by the address as typed, <c>victim+1@</c>, <c>victim+2@</c> and Gmail's dot
/// variants each got their own allowance while every one of those mails lands in the same inbox.
/// </summary>
public sealed class AutomaticReplyAllowanceTests(AzuriteFixture azurite)
{
    private static readonly Uri Submit = new("/api/intake/web", UriKind.Relative);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Submits one ticket per address and waits until every acknowledgement is sent or suppressed; returns the mails SendGrid got.</summary>
    private async Task<int> AcknowledgementsSentAsync(IReadOnlyList<string> addresses)
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string>
        {
            ["Intake:AutomaticRepliesPerDay"] = "2",
            ["WebForm:SubmissionsPerWindow"] = "100",
            ["WebForm:SubmissionsPerAddress"] = "100",
        });
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();
        var tickets = new List<string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            using var response = await client.PostAsJsonAsync(Submit, new { message = $"my deposit number {i} has not arrived", email = addresses[i] }, Cancellation);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            tickets.Add((await response.Content.ReadFromJsonAsync<WebFormAccepted>(Cancellation))!.TicketId);
        }

        await IntakeHost.WaitForAsync(
            async () =>
            {
                foreach (var ticket in tickets)
                {
                    var outbound = await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket, Cancellation);
                    if (outbound.Count == 0 || outbound[0].Status == OutboundStatus.Pending)
                    {
                        return null;
                    }
                }

                return "";
            },
            "every acknowledgement sent or suppressed");
        return host.SendGrid.Mails.Count;
    }

    [Fact]
    public async Task Gmail_dot_plus_and_googlemail_variants_share_one_allowance()
    {
        var sent = await AcknowledgementsSentAsync(["victim+1@gmail.com", "v.i.c.t.i.m+2@gmail.com", "Victim@googlemail.com", "vic.tim+x@GMAIL.com"]);

        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task Plus_tags_on_any_domain_share_the_allowance_of_the_plain_address()
    {
        var sent = await AcknowledgementsSentAsync(["alice+a@example.com", "alice+b@example.com", "ALICE@Example.com", "Alice+d@EXAMPLE.COM"]);

        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task A_domain_written_in_unicode_and_in_punycode_is_one_address()
    {
        var sent = await AcknowledgementsSentAsync(["kunde@bücher.example", "kunde@xn--bcher-kva.example", "kunde+1@BÜCHER.example"]);

        Assert.Equal(2, sent);
    }
}
