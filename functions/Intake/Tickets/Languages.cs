namespace Intake.Tickets;

/// <summary>The languages Intake answers in, and how a client's language tag maps onto them.</summary>
public static class Languages
{
    public static IReadOnlyList<string> Supported { get; } = ["en", "zh-Hans", "zh-Hant", "ru", "es", "pt", "tr", "vi", "ko", "ja"];

    /// <summary>"zh-TW" → zh-Hant, "zh_CN" → zh-Hans, "pt-BR" → pt, anything else unknown → und.</summary>
    public static string Normalize(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return "und";
        }

        var parts = tag.Trim().Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        var primary = parts[0].ToLowerInvariant();
        if (primary == "zh")
        {
            var traditional = parts.Skip(1).Any(p => p.ToUpperInvariant() is "HANT" or "TW" or "HK" or "MO");
            return traditional ? "zh-Hant" : "zh-Hans";
        }

        return Supported.Contains(primary) ? primary : "und";
    }
}
