using System.Text.Json;
using Intake.Web;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Intake.Surveys;

/// <summary>What a JSON answer to the survey gets back.</summary>
public sealed record SurveyAnswerJson(int Score);

/// <summary>
/// <c>GET /api/surveys?token={token}</c>: the confirm page, which records nothing (mail scanners follow links and must not
/// vote). <c>POST /api/surveys?token={token}</c> with <c>score</c> (1–5) and an optional <c>comment</c>, as a form (answered
/// with a page) or JSON (answered with JSON or ProblemDetails): records the answer once. The token comes from the query
/// only, for the page's form as for a JSON client: Application Insights keeps a request's path and strips its query, so a
/// token in the path would be stored with every request. A tampered, unknown, empty or missing token gets 404, an expired
/// one 410, a used one 409, a missing score 400; nothing is recorded for any of them.
/// </summary>
public static class SurveyEndpoints
{
    public const int MaxBodyBytes = 32 * 1024;

    public static async Task<HtmlPage> GetAsync(string? token, HttpContext http, SurveyDesk surveys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(surveys);
        var (check, _) = await surveys.CheckAsync(token, cancellationToken).ConfigureAwait(false);
        var t = Texts(http, check);

        // Only a token that read as ours gets past NotFound, so the form's action always has one.
        return check.Outcome == SurveyOutcome.Recorded
            ? new HtmlPage(StatusCodes.Status200OK, SurveyPages.Confirm(t, Action(http, token!)))
            : Refusal(t, check.Outcome);
    }

    public static async Task<Results<HtmlPage, Ok<SurveyAnswerJson>, ProblemHttpResult>> PostAsync(
        string? token, HttpContext http, SurveyDesk surveys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(surveys);
        var json = RequestChecks.IsMediaType(http.Request.ContentType, "application/json");
        var body = await RequestChecks.ReadBodyAsync(http, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var (score, comment) = json ? ReadJson(body.WrittenSpan) : ReadForm(body.WrittenSpan);
        var answer = await surveys.AnswerAsync(token, score, comment, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            return answer.Outcome == SurveyOutcome.Recorded
                ? TypedResults.Ok(new SurveyAnswerJson(answer.Score!.Value))
                : TypedResults.Problem(Explain(SurveyTexts.English, answer.Outcome), statusCode: StatusCode(answer.Outcome));
        }

        var t = Texts(http, answer);
        return answer.Outcome switch
        {
            SurveyOutcome.Recorded => new HtmlPage(
                StatusCodes.Status200OK, SurveyPages.Notice(t, t.ThanksTitle, answer.Score <= 2 ? t.ThanksText + " " + t.LowScoreText : t.ThanksText)),
            SurveyOutcome.InvalidScore => new HtmlPage(StatusCodes.Status400BadRequest, SurveyPages.Confirm(t, Action(http, token!), t.ChooseScore)),
            _ => Refusal(t, answer.Outcome),
        };
    }

    internal static int StatusCode(SurveyOutcome outcome) => outcome switch
    {
        SurveyOutcome.Recorded => StatusCodes.Status200OK,
        SurveyOutcome.AlreadyAnswered => StatusCodes.Status409Conflict,
        SurveyOutcome.Expired => StatusCodes.Status410Gone,
        SurveyOutcome.InvalidScore => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status404NotFound,
    };

    private static string Explain(SurveyTexts t, SurveyOutcome outcome) => outcome switch
    {
        SurveyOutcome.AlreadyAnswered => t.UsedText,
        SurveyOutcome.Expired => t.ExpiredText,
        SurveyOutcome.InvalidScore => t.ChooseScore,
        _ => t.NotFoundText,
    };

    private static HtmlPage Refusal(SurveyTexts t, SurveyOutcome outcome)
    {
        var title = outcome switch
        {
            SurveyOutcome.AlreadyAnswered => t.UsedTitle,
            SurveyOutcome.Expired => t.ExpiredTitle,
            _ => t.NotFoundTitle,
        };
        return new HtmlPage(StatusCode(outcome), SurveyPages.Notice(t, title, Explain(t, outcome)));
    }

    /// <summary>The survey's language when the token named one; else (a tampered link) the browser's.</summary>
    private static SurveyTexts Texts(HttpContext http, SurveyAnswer answer) =>
        answer.Outcome == SurveyOutcome.NotFound
            ? SurveyTexts.For(PageLanguages.Negotiate(http.Request.GetTypedHeaders().AcceptLanguage))
            : SurveyTexts.For(answer.Language);

    /// <summary>The form posts to the address it was opened at: the token stays in the query, out of the body and the path.</summary>
    private static string Action(HttpContext http, string token) => http.Request.PathBase + SurveyDesk.PathAndQuery(token);

    internal static (int? Score, string? Comment) ReadForm(ReadOnlySpan<byte> body)
    {
        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body));
        return (ParseScore(form.TryGetValue("score", out var score) ? score.ToString() : null), form.TryGetValue("comment", out var comment) ? comment.ToString() : null);
    }

    internal static (int? Score, string? Comment) ReadJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            int? score = root.TryGetProperty("score", out var s) ? s.ValueKind switch
            {
                JsonValueKind.Number when s.TryGetInt32(out var n) => n,
                JsonValueKind.String => ParseScore(JsonText.Get(s)),
                _ => null,
            } : null;
            var comment = root.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.String ? JsonText.Get(c) : null;
            return (score, comment);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static int? ParseScore(string? text) => text?.Trim() is [>= '1' and <= '5'] digit ? digit[0] - '0' : null;
}
