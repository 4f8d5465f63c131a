using System.Net;
using System.Text.RegularExpressions;
using Intake.Tests.HelpCenter;
using Intake.Tests.Integration;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the acknowledgement's "this solved my problem, close my ticket" link changes a ticket's state, so a stranger
/// who forges one, or anyone holding an expired or revoked one, could close a customer's ticket (and a mail scanner
/// opening it could too). Control: the token is signed with the ticket's nonce and expires; a wrong one gets the status
/// page's 404 and changes nothing; opening the link only shows a confirm page (<c>HelpCenter/SelfServeTests</c>).
/// </summary>
public sealed class SolvedLinkForgeryTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_forged_expired_or_revoked_close_link_gets_the_same_404_and_changes_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, SelfServeTests.HelpSettings());
        using var client = host.CreateClient();
        var (id, text) = await SelfServeTests.AcknowledgedAsync(host, client, "How long does a BTC withdrawal take and what is the fee?", "wd@example.com");
        var link = SelfServeTests.SolvedLink().Match(text).Groups[1].Value;
        var reference = Regex.Match(link, "T-[A-Z2-9]{6}").Value;

        string[] forged =
        [
            $"/support/solved/{reference}?token=4102444800.AAAAAAAAAAAAAAAAAAAAAAAA",
            $"/support/solved/{reference}?token=1.{link.Split('.')[^1]}",
            $"/support/solved/{reference}",
            $"/support/solved/T-ZZZZZZ?token={Uri.EscapeDataString(link.Split("token=")[1])}",
        ];
        foreach (var path in forged)
        {
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([]), Cancellation);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // An agent's revocation (a new nonce) closes the close link too.
        var ticket = await GetAsync(client, id);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Post, $"/api/tickets/{id}/status-links/revoke", new { agent = Agent })).Status);
        using var revoked = await client.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([]), Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
        Assert.Equal(ticket.String("status"), (await GetAsync(client, id)).String("status"));
    }
}
