using Intake.Tickets;

namespace Intake.Tests.Tickets;

public sealed class MailboxesTests
{
    [Theory]
    [InlineData("Alice@Example.com", "alice@example.com")]
    [InlineData("alice+support@example.com", "alice@example.com")]
    [InlineData("alice+a+b@example.com", "alice@example.com")]
    [InlineData("a.l.i.c.e@example.com", "a.l.i.c.e@example.com")]
    [InlineData("V.I.C.T.I.M+1@Gmail.com", "victim@gmail.com")]
    [InlineData("victim@googlemail.com", "victim@gmail.com")]
    [InlineData("kunde@BÜCHER.example", "kunde@xn--bcher-kva.example")]
    [InlineData("kunde@xn--bcher-kva.example", "kunde@xn--bcher-kva.example")]
    [InlineData("kunde@example.com.", "kunde@example.com")]
    [InlineData("  bob@example.com ", "bob@example.com")]
    public void Spellings_that_reach_one_inbox_are_one_mailbox(string address, string mailbox)
    {
        Assert.Equal(mailbox, Mailboxes.Of(address));
    }

    [Theory]
    [InlineData("+tag@example.com", "+tag@example.com")]
    [InlineData("not-an-address", "not-an-address")]
    [InlineData("@example.com", "@example.com")]
    [InlineData("bob@", "bob@")]
    public void What_is_not_a_plain_address_is_only_lower_cased(string address, string mailbox)
    {
        Assert.Equal(mailbox, Mailboxes.Of(address));
    }

    [Theory]
    [InlineData("support@exchange.example", true)]
    [InlineData("Support <support@exchange.example>", false)]
    [InlineData("<support@exchange.example>", false)]
    [InlineData("not-an-email", false)]
    [InlineData(" support@exchange.example", false)]
    public void A_bare_address_is_an_address_alone_without_a_name_or_brackets(string value, bool bare)
    {
        Assert.Equal(bare, Mailboxes.IsBareAddress(value));
    }
}
