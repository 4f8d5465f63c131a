using Intake.Desk;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Desk;

public sealed class SlaCountdownTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static Ticket NewTicket() => new()
    {
        Id = "01JEXAMPLE0000000000ABCDEF",
        Reference = "T-ABCDEF",
        Channel = ChannelNames.Email,
        Contact = new Contact(ChannelNames.Email, "a@example.com"),
        Language = "en",
        Category = TicketCategory.Withdrawal,
        Urgency = Urgency.High,
        CreatedAt = Now.AddHours(-1),
        Status = TicketStatus.Open,
        FirstResponseDueAt = Now.AddMinutes(30),
        FirstResponseWarningAt = Now.AddMinutes(10),
        ResolutionDueAt = Now.AddHours(20),
        ResolutionWarningAt = Now.AddHours(15),
    };

    [Fact]
    public void Before_the_warning_the_first_response_counts_down_in_words()
    {
        var countdown = SlaCountdown.Of(NewTicket(), Now);

        Assert.Equal((SlaState.Ok, SlaCountdown.FirstResponse), (countdown.State, countdown.Target));
        Assert.Equal("first response due in 30 min", countdown.Describe(DeskTexts.For("en")));
        Assert.Equal("sla-ok", countdown.CssClass);
    }

    [Fact]
    public void Past_the_warning_time_it_warns_and_past_the_due_time_it_says_breached_and_by_how_much()
    {
        var t = DeskTexts.For("en");
        var warning = SlaCountdown.Of(NewTicket(), Now.AddMinutes(15));
        var breached = SlaCountdown.Of(NewTicket(), Now.AddMinutes(95));

        Assert.Equal(("Warning: first response due in 15 min", "sla-warn"), (warning.Describe(t), warning.CssClass));
        Assert.Equal(("Breached: first response overdue by 1 h 5 min", "sla-breach"), (breached.Describe(t), breached.CssClass));
        Assert.Equal("已违约：首次响应超时 1 小时 5 分钟", breached.Describe(DeskTexts.For("zh-Hans")));
    }

    [Fact]
    public void After_the_first_response_the_resolution_is_next_and_a_resolved_ticket_has_nothing_pending()
    {
        var answered = NewTicket() with { FirstRespondedAt = Now };

        Assert.Equal(("resolution due in 20 h 0 min", SlaState.Ok), (SlaCountdown.Of(answered, Now).Describe(DeskTexts.For("en")), SlaCountdown.Of(answered, Now).State));
        Assert.Equal("resolution due in 2 d 3 h", SlaCountdown.Of(answered with { ResolutionDueAt = Now.AddHours(51) }, Now).Describe(DeskTexts.For("en")));
        Assert.Equal(SlaState.Done, SlaCountdown.Of(answered with { Status = TicketStatus.Resolved, ResolvedAt = Now }, Now).State);
    }

    [Fact]
    public void A_ticket_waiting_on_the_customer_is_paused_not_breached()
    {
        var waiting = NewTicket() with { Status = TicketStatus.WaitingOnCustomer, PausedAt = Now.AddMinutes(-5) };

        var countdown = SlaCountdown.Of(waiting, Now.AddHours(2));

        Assert.Equal(SlaState.Paused, countdown.State);
        Assert.Equal("Paused (first response): waiting on the customer", countdown.Describe(DeskTexts.For("en")));
    }

    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7", EntityNetworks.Evm)]
    [InlineData("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", EntityNetworks.Bitcoin)]
    [InlineData("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", EntityNetworks.Bitcoin)]
    [InlineData("TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", EntityNetworks.Tron)]
    public void An_address_names_its_network_by_its_form(string address, string network) => Assert.Equal(network, EntityNetworks.OfAddress(address));
}
