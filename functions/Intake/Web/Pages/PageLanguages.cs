using Intake.Texts;
using Microsoft.Net.Http.Headers;

namespace Intake.Web.Pages;

/// <summary>
/// The languages the server-rendered pages speak: those with customer texts (<see cref="CustomerTexts.Available"/>).
/// Which one a request gets is decided here, the same for every page.
/// </summary>
internal static class PageLanguages
{
    public const string English = "en";

    /// <summary>The pages' language a tag asks for (<see cref="CustomerTexts.Normalize"/>); null for one they do not speak.</summary>
    public static string? ForTag(string? tag) => CustomerTexts.Normalize(tag) is var language && CustomerTexts.Speaks(language) ? language : null;

    /// <summary>The first of the client's languages (by quality) that the pages speak; English when none is.</summary>
    public static string Negotiate(IEnumerable<StringWithQualityHeaderValue> acceptLanguage) => ForAcceptLanguage(acceptLanguage) ?? English;

    /// <summary>The first of the client's languages (by quality) that the pages speak; null when none is.</summary>
    public static string? ForAcceptLanguage(IEnumerable<StringWithQualityHeaderValue> acceptLanguage) =>
        acceptLanguage
            .Where(l => l.Quality is not <= 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => ForTag(l.Value.Value))
            .FirstOrDefault(code => code is not null);
}
