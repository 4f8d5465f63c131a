using System.Net;
using Intake.Tests.Integration;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Agents;

/// <summary>The customer writing again after an agent resolved the ticket, through the real host with a clock that can jump days.</summary>
public sealed class CustomerReopeningTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_follow_up_two_days_after_resolve_reopens_the_ticket_and_eight_days_after_makes_a_linked_one()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(), time: clock);
        using var client = host.CreateClient();
        var first = await SubmitAsync(client, "My deposit is missing", "again@example.com");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, first.TicketId, "Mei")).Status);

        clock.Advance(TimeSpan.FromDays(2));
        await FollowUpAsync(client, "It is still not there", "again@example.com", first.Reference);
        var reopened = await GetAsync(client, first.TicketId);

        Assert.Contains(reopened.Messages, m => m.GetProperty("text").GetString() == "It is still not there");
        Assert.Equal("open", reopened.String("status"));
        Assert.Null(reopened.String("resolvedAt"));
        Assert.Equal(("customer", "reopened"), reopened.Events.Select(e => (e.GetProperty("agent").GetString(), e.GetProperty("action").GetString())).Last());

        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, first.TicketId, "Mei")).Status);
        clock.Advance(TimeSpan.FromDays(8));
        await FollowUpAsync(client, "Another deposit is missing now", "again@example.com", first.Reference);
        var later = (await SendAsync(client, HttpMethod.Get, "/api/tickets?status=new")).Json.GetProperty("tickets").EnumerateArray().Single().GetProperty("id").GetString()!;
        var linked = await GetAsync(client, later);

        Assert.NotEqual(first.TicketId, later);
        Assert.Equal(first.TicketId, linked.String("linkedTicketId"));
        Assert.Equal("new", linked.String("status"));
        Assert.Equal("resolved", (await GetAsync(client, first.TicketId)).String("status"));
    }
}
