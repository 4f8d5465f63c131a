using Intake.Texts;

namespace Intake.Tickets;

/// <summary>The languages Intake answers in, and how a client's language tag maps onto them (<see cref="CustomerTexts"/>).</summary>
public static class Languages
{
    public static IReadOnlyList<string> Supported => CustomerTexts.Languages;

    /// <summary>"zh-TW" → zh-Hant, "zh_CN" → zh-Hans, "pt-BR" → pt, anything else unknown → und.</summary>
    public static string Normalize(string? tag) => CustomerTexts.Normalize(tag);
}
