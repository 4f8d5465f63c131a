using System.ComponentModel.DataAnnotations;

namespace Intake.HelpCenter;

/// <summary>The help center's catalogue (<see cref="HelpCatalogue"/>) and how many of its articles an acknowledgement offers.</summary>
public sealed class HelpCenterOptions
{
    public const string Section = "HelpCenter";

    /// <summary>
    /// The catalogue's JSON file (absolute, or relative to the app's directory). Unset: in Development the example that
    /// ships with the project (<c>functions/Intake/HelpCenter/help-articles.json</c>); elsewhere no articles.
    /// </summary>
    public string? CatalogPath { get; set; }

    /// <summary>The most articles one acknowledgement offers.</summary>
    [Range(1, 5)]
    public int MaxArticles { get; set; } = 3;
}
