using Microsoft.Net.Http.Headers;

namespace Intake.Web.Pages;

/// <summary>
/// The languages the server-rendered pages speak: English, simplified and traditional Chinese, by their codes. Each
/// feature keeps its own texts for them; which one a request gets is decided here, the same for every page.
/// </summary>
internal static class PageLanguages
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-Hans";
    public const string TraditionalChinese = "zh-Hant";

    /// <summary>The language a tag asks for: en…, zh-Hant / zh-TW / zh-HK / zh-MO, any other zh; null for anything else.</summary>
    public static string? ForTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 35)
        {
            return null;
        }

        var parts = tag.Trim().Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? null : parts[0].ToUpperInvariant() switch
        {
            "EN" => English,
            "ZH" when parts.Skip(1).Any(p => p.Equals("Hans", StringComparison.OrdinalIgnoreCase)) => SimplifiedChinese,
            "ZH" when parts.Skip(1).Any(p => p.ToUpperInvariant() is "HANT" or "TW" or "HK" or "MO") => TraditionalChinese,
            "ZH" => SimplifiedChinese,
            _ => null,
        };
    }

    /// <summary>The first of the client's languages (by quality) that the pages speak; English when none is.</summary>
    public static string Negotiate(IEnumerable<StringWithQualityHeaderValue> acceptLanguage) =>
        acceptLanguage
            .Where(l => l.Quality is not <= 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => ForTag(l.Value.Value))
            .FirstOrDefault(code => code is not null)
        ?? English;
}
