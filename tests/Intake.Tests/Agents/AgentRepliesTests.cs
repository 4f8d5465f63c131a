using Intake.Agents;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Agents;

/// <summary>How an emailed agent reply is addressed.</summary>
public sealed class AgentRepliesTests
{
    private static Ticket Ticket(string? subject, string language = "en") => new()
    {
        Id = "01KAR000000000000000W7K2QX",
        Reference = "T-W7K2QX",
        Channel = "email",
        Contact = new Contact("email", "a@example.com"),
        Language = language,
        Category = TicketCategory.General,
        Urgency = Urgency.Normal,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Subject = subject,
    };

    [Theory]
    [InlineData("Deposit missing", "en", "Re: [T-W7K2QX] Deposit missing")]
    [InlineData("RE: Re: Deposit missing", "en", "Re: [T-W7K2QX] Deposit missing")]
    [InlineData("Re: [T-W7K2QX] We have received your message", "en", "Re: [T-W7K2QX] We have received your message")]
    [InlineData(null, "en", "Re: [T-W7K2QX] We have received your message")]
    [InlineData("  ", "zh-Hans", "Re: [T-W7K2QX] 我们已收到您的消息")]
    public void The_subject_carries_the_reference_once(string? subject, string language, string expected) =>
        Assert.Equal(expected, AgentReplies.Subject(Ticket(subject, language)));
}
