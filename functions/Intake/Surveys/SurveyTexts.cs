using System.Collections.Concurrent;
using Intake.Texts;

namespace Intake.Surveys;

/// <summary>What surveys say, read from the customer texts (<see cref="CustomerTexts"/>, keys <c>Survey.*</c>) once per language.</summary>
internal sealed record SurveyTexts
{
    public required string Code { get; init; }
    public required string Subject { get; init; }
    public required Func<string, string> Question { get; init; }
    public required string ButtonsHint { get; init; }
    public required string ReplyWithNumber { get; init; }
    public required string LinkIntro { get; init; }
    public required string Worst { get; init; }
    public required string Best { get; init; }
    public required string PageTitle { get; init; }
    public required string ScoreLegend { get; init; }
    public required string CommentLabel { get; init; }
    public required string CommentHint { get; init; }
    public required string Send { get; init; }
    public required string ThanksTitle { get; init; }
    public required string ThanksText { get; init; }
    public required string ThanksMessage { get; init; }
    public required string LowScoreText { get; init; }
    public required string NotFoundTitle { get; init; }
    public required string NotFoundText { get; init; }
    public required string ExpiredTitle { get; init; }
    public required string ExpiredText { get; init; }
    public required string UsedTitle { get; init; }
    public required string UsedText { get; init; }
    public required string ChooseScore { get; init; }

    public static SurveyTexts English => For("en");

    /// <summary>The survey's texts in <paramref name="language"/> (<see cref="CustomerTexts"/>); English for a language without a file.</summary>
    public static SurveyTexts For(string? language) => Cache.GetOrAdd(CustomerTexts.Speaks(language) ? language! : "en", Load);

    private static readonly ConcurrentDictionary<string, SurveyTexts> Cache = new(StringComparer.Ordinal);

    private static SurveyTexts Load(string language)
    {
        var t = CustomerTexts.For(language);
        return new SurveyTexts
        {
            Code = language,
            Subject = t["Survey.Subject"],
            Question = reference => t["Survey.Question", reference],
            ButtonsHint = t["Survey.ButtonsHint"],
            ReplyWithNumber = t["Survey.ReplyWithNumber"],
            LinkIntro = t["Survey.LinkIntro"],
            Worst = t["Survey.Worst"],
            Best = t["Survey.Best"],
            PageTitle = t["Survey.PageTitle"],
            ScoreLegend = t["Survey.ScoreLegend"],
            CommentLabel = t["Survey.CommentLabel"],
            CommentHint = t["Survey.CommentHint"],
            Send = t["Survey.Send"],
            ThanksTitle = t["Survey.ThanksTitle"],
            ThanksText = t["Survey.ThanksText"],
            ThanksMessage = t["Survey.ThanksMessage"],
            LowScoreText = t["Survey.LowScoreText"],
            NotFoundTitle = t["Survey.NotFoundTitle"],
            NotFoundText = t["Survey.NotFoundText"],
            ExpiredTitle = t["Survey.ExpiredTitle"],
            ExpiredText = t["Survey.ExpiredText"],
            UsedTitle = t["Survey.UsedTitle"],
            UsedText = t["Survey.UsedText"],
            ChooseScore = t["Survey.ChooseScore"],
        };
    }
}
