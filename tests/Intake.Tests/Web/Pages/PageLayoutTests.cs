using Intake.Web.Pages;

namespace Intake.Tests.Web.Pages;

public sealed class PageLayoutTests
{
    [Fact]
    public void A_value_is_encoded_with_its_line_breaks_kept_and_chinese_left_readable()
    {
        Assert.Equal("&lt;b&gt;&amp;&quot;&#x27;\nx\ny\n中文", PageLayout.E("<b>&\"'\r\nx\ry\n中文"));
        Assert.Equal("", PageLayout.E(null));
    }

    [Fact]
    public void The_page_carries_its_language_and_title_encoded_and_the_body_as_given()
    {
        var page = PageLayout.Render("zh-Hant", "<T>", "<p>body</p>\n");

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"zh-Hant\">", page, StringComparison.Ordinal);
        Assert.Contains("<title>&lt;T&gt;</title>", page, StringComparison.Ordinal);
        Assert.Contains("<main>\n<p>body</p>\n</main>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }
}
