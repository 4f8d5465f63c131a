using Intake.Channels.Email;

namespace Intake.Tests.Channels.Email;

public sealed class EmailTextTests
{
    [Fact]
    public void Html_becomes_text_without_scripts_styles_or_head_and_with_entities_decoded()
    {
        var text = EmailText.FromHtml("""
            <html><head><title>Mail</title><style>.x{color:red}</style></head>
            <body><script type="text/javascript">document.write('hacked')</script>
            <h1>Deposit</h1><p>0.5&nbsp;ETH &lt;missing&gt; &#x4E2D;&#25991;</p>
            <ul><li>one</li><li>two</li></ul>line<br>break
            </body></html>
            """);

        Assert.Equal("Deposit\n\n0.5 ETH <missing> 中文\n\none\n\ntwo\n\nline\nbreak", text);
    }

    [Fact]
    public void Html_blockquotes_come_out_quoted_so_that_the_new_text_leaves_them_out()
    {
        var text = EmailText.FromHtml("<div>Thanks, that helped.</div><blockquote><div>My account was hacked</div></blockquote>");

        Assert.Equal("Thanks, that helped.\n\n> My account was hacked", text);
        Assert.Equal("Thanks, that helped.", EmailText.NewText(text));
    }

    [Theory]
    [InlineData("Where is my deposit?\n\nOn Mon, 2 Nov 2026 at 09:14, Alice <a@b.example> wrote:\n> my account was hacked\n> help")]
    [InlineData("Where is my deposit?\n\nOn Mon, 2 Nov 2026 at 09:14, Alice Chen\n<a@b.example> wrote:\n> my account was hacked")]
    [InlineData("Where is my deposit?\n\n-----Original Message-----\nFrom: Support\nmy account was hacked")]
    [InlineData("Where is my deposit?\n\nFrom: Support <support@exchange.example>\nSent: Monday, 2 November 2026 09:14\nTo: Alice\nSubject: hacked\n\nmy account was hacked")]
    [InlineData("Where is my deposit?\n\n在 2026年11月2日 09:14，Alice <a@b.example> 写道：\n> 我的账户被盗了")]
    [InlineData("Where is my deposit?\n-- \nAlice Chen\nmy account was hacked? call me")]
    [InlineData("Where is my deposit?\n\nSent from my iPhone\n\n> my account was hacked")]
    public void The_new_text_leaves_out_quoted_history_and_signatures(string body)
    {
        Assert.Equal("Where is my deposit?", EmailText.NewText(body));
    }

    [Fact]
    public void A_sentence_that_merely_ends_in_wrote_is_the_customers_own_text()
    {
        const string Body = "Your agent wrote:\nthat I should wait 24 hours. It has been 48.";

        Assert.Equal(Body, EmailText.NewText(Body));
    }
}
