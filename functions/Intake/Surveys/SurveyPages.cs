using System.Globalization;
using System.Text;
using Intake.Web.Pages;
using static Intake.Web.Pages.PageLayout;

namespace Intake.Surveys;

/// <summary>
/// The survey's pages, in the pages' shared layout (<see cref="PageLayout"/>): the confirm page (five score buttons and an
/// optional comment, which post; opening it records nothing) and short notices. Pure functions of their arguments; every
/// value encoded.
/// </summary>
internal static class SurveyPages
{
    public static string Confirm(SurveyTexts t, string action, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(t.PageTitle)).Append("</h1>\n");
        if (error is not null)
        {
            // Focused as the page loads, so that a screen reader reads the error first.
            body.Append("<p class=\"error\" role=\"alert\" tabindex=\"-1\" autofocus>").Append(E(error)).Append("</p>\n");
        }

        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" accept-charset=\"UTF-8\">\n");
        body.Append("<label for=\"comment\">").Append(E(t.CommentLabel)).Append("</label>\n");
        body.Append("<span class=\"hint\" id=\"comment-hint\">").Append(E(t.CommentHint)).Append("</span>\n");
        body.Append("<textarea id=\"comment\" name=\"comment\" rows=\"4\" aria-describedby=\"comment-hint\"></textarea>\n");
        body.Append("<fieldset>\n<legend>").Append(E(t.ScoreLegend)).Append(" (1 = ").Append(E(t.Worst)).Append(", 5 = ").Append(E(t.Best)).Append(")</legend>\n");
        // One row of five equal buttons, each at least 44 px square, on the narrowest phone as on a desktop.
        body.Append("<div class=\"scale\">\n");
        for (var score = 1; score <= 5; score++)
        {
            var value = score.ToString(CultureInfo.InvariantCulture);
            body.Append("<button type=\"submit\" name=\"score\" value=\"").Append(value).Append("\" aria-label=\"")
                .Append(E(t.Send)).Append(": ").Append(value).Append("\">").Append(value).Append("</button>\n");
        }

        body.Append("</div>\n</fieldset>\n</form>\n");
        return PageLayout.Render(t.Code, t.PageTitle, body.ToString());
    }

    public static string Notice(SurveyTexts t, string title, string text)
    {
        ArgumentNullException.ThrowIfNull(t);
        var body = $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>\n";
        return PageLayout.Render(t.Code, title, body);
    }
}
