using Intake.Tickets;

namespace Intake.Tests.Tickets;

/// <summary>Our own links' tokens are taken out of a customer's text before it is stored.</summary>
public class LinkTokensTests
{
    [Theory]
    [InlineData("> https://help.example/support/verify/T-ABC234?token=1795000000.Abc-def_GHIjklMNOpqrSTUv\n> ok", "> https://help.example/support/verify/T-ABC234?token=[link token]\n> ok")]
    [InlineData("see https://help.example/support/status/T-ABC234?TOKEN=1795000000.x&lang=en", "see https://help.example/support/status/T-ABC234?token=[link token]&lang=en")]
    [InlineData("my order token=ABC.def stays", "my order token=ABC.def stays")]
    [InlineData("no links here", "no links here")]
    public void Masks_the_tokens_of_our_links_and_leaves_the_rest(string text, string expected) =>
        Assert.Equal(expected, LinkTokens.Mask(text));

    [Fact]
    public void A_long_hostile_text_is_read_without_backtracking()
    {
        var hostile = string.Concat(Enumerable.Repeat("token=1.", 25_000)) + "token=1234567890." + new string('a', 200_000);

        var masked = LinkTokens.Mask(hostile);

        Assert.StartsWith("token=[link token]=1.token=[link token]", masked, StringComparison.Ordinal);
        Assert.EndsWith(new string('a', 200_000 - 64), masked, StringComparison.Ordinal);
    }
}
