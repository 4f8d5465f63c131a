using Intake.Desk;

namespace Intake.Tests.Desk;

public sealed class DeskPagesTests
{
    [Fact]
    public void Redaction_markers_are_marked_as_such_and_everything_around_them_is_encoded()
    {
        var html = DeskPages.WithMarkers(DeskTexts.For("en"), "<script>alert(1)</script> my phrase [REDACTED:mnemonic] and link [link token]");

        Assert.StartsWith("&lt;script&gt;alert(1)&lt;/script&gt; my phrase <mark class=\"redacted\" title=\"removed by Intake: recovery phrase\">[REDACTED:mnemonic]", html, StringComparison.Ordinal);
        Assert.Contains("<mark class=\"redacted\" title=\"a link&#x27;s token, removed by Intake\">[link token]", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_only_looks_like_a_marker_stays_text()
    {
        var html = DeskPages.WithMarkers(DeskTexts.For("en"), "[REDACTED:<b>] [REDACTED:] [redacted]");

        Assert.DoesNotContain("<mark", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }
}
