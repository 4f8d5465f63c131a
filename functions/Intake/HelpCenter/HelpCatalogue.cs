using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.HelpCenter;

/// <summary>An article of the help center: the ticket categories and flags it answers, and its title and address per language.</summary>
public sealed record HelpArticle(string Id, IReadOnlyList<string> Categories, IReadOnlyList<string> Flags, IReadOnlyDictionary<string, HelpArticleText> Languages);

public sealed record HelpArticleText(string Title, string Url);

/// <summary>An article as a ticket's acknowledgement offers it: in the customer's language, or English.</summary>
public sealed record HelpLink(string Id, string Title, string Url);

/// <summary>
/// The help-center articles the acknowledgement may offer (<c>HelpCenter:CatalogPath</c>, a JSON file the operator edits;
/// the project ships an example, <c>help-articles.json</c>). An article answers a ticket whose category it lists, or one
/// of whose flags it lists. None is offered where the advice is fixed: a security ticket, a phishing victim, a secret
/// exposed (the acknowledgement says what to do then, and an article must not compete with it).
/// </summary>
public sealed class HelpCatalogue
{
    /// <summary>Tickets with any of these flags get no articles: their acknowledgement's advice is the only advice.</summary>
    public static readonly IReadOnlySet<string> FixedAdvice = new HashSet<string>(StringComparer.Ordinal) { TriageFlags.SecretExposed, TriageFlags.PhishingVictim };

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public HelpCatalogue(IReadOnlyList<HelpArticle> articles, int maxPerTicket = 3)
    {
        ArgumentNullException.ThrowIfNull(articles);
        Articles = articles;
        MaxPerTicket = maxPerTicket;
    }

    public static HelpCatalogue Empty { get; } = new([]);

    public IReadOnlyList<HelpArticle> Articles { get; }

    public int MaxPerTicket { get; }

    /// <summary>
    /// Up to <see cref="MaxPerTicket"/> articles for the ticket, in the catalogue's order, in the ticket's language or
    /// else English; none for a security ticket or one with fixed advice.
    /// </summary>
    public IReadOnlyList<HelpLink> For(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Category == TicketCategory.Security || ticket.Flags.Any(FixedAdvice.Contains))
        {
            return [];
        }

        var category = ticket.Category.ToName();
        return
        [
            .. Articles
                .Where(a => a.Categories.Contains(category, StringComparer.Ordinal) || a.Flags.Any(f => ticket.Flags.Contains(f, StringComparer.Ordinal)))
                .Take(MaxPerTicket)
                .Select(a => a.Languages.TryGetValue(ticket.Language, out var text) || a.Languages.TryGetValue("en", out text)
                    ? new HelpLink(a.Id, text.Title, text.Url)
                    : null)
                .OfType<HelpLink>(),
        ];
    }

    /// <summary>Reads and checks a catalogue; the errors name the article and field, and the catalogue is null when there are any.</summary>
    public static (HelpCatalogue? Catalogue, IReadOnlyList<string> Errors) Parse(string json, int maxPerTicket)
    {
        CatalogueJson? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<CatalogueJson>(json, Json);
        }
        catch (JsonException ex)
        {
            return (null, [$"not a catalogue: {ex.Message}"]);
        }

        var errors = new List<string>();
        var articles = new List<HelpArticle>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (article, i) in (parsed?.Articles ?? []).Select((a, i) => (a, i)))
        {
            var name = string.IsNullOrWhiteSpace(article.Id) ? $"article {i + 1}" : article.Id;
            if (string.IsNullOrWhiteSpace(article.Id) || !ids.Add(article.Id))
            {
                errors.Add($"{name}: an id of its own is needed");
            }

            var categories = article.Categories ?? [];
            errors.AddRange(categories.Where(c => !TriageNames.TryParseCategory(c, out _)).Select(c => $"{name}: no such category '{c}'"));
            if (categories.Count == 0 && (article.Flags ?? []).Count == 0)
            {
                errors.Add($"{name}: names no category or flag, so it answers nothing");
            }

            var languages = article.Languages ?? [];
            if (!languages.ContainsKey("en"))
            {
                errors.Add($"{name}: an English title and url are needed (the fallback for every language)");
            }

            foreach (var (language, text) in languages)
            {
                if (!CustomerTexts.Languages.Contains(language))
                {
                    errors.Add($"{name}: '{language}' is not one of {string.Join(", ", CustomerTexts.Languages)}");
                }

                if (string.IsNullOrWhiteSpace(text.Title) || text.Title.Length > 200)
                {
                    errors.Add($"{name} ({language}): a title of 1 to 200 characters is needed");
                }

                if (!Uri.TryCreate(text.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                {
                    errors.Add($"{name} ({language}): the url must be an absolute https address");
                }
            }

            articles.Add(new HelpArticle(
                article.Id ?? "",
                categories,
                article.Flags ?? [],
                languages.ToDictionary(l => l.Key, l => new HelpArticleText(l.Value.Title ?? "", l.Value.Url ?? ""), StringComparer.Ordinal)));
        }

        return errors.Count > 0 ? (null, errors) : (new HelpCatalogue(articles, maxPerTicket), []);
    }

    private sealed record CatalogueJson([property: JsonPropertyName("articles")] List<ArticleJson>? Articles);

    private sealed record ArticleJson(string? Id, List<string>? Categories, List<string>? Flags, Dictionary<string, TextJson>? Languages);

    private sealed record TextJson(string? Title, string? Url);
}
