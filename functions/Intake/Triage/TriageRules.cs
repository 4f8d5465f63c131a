using System.Text.Json;
using System.Text.Json.Serialization;

namespace Intake.Triage;

/// <summary>
/// The triage rules as an operator writes them: embedded JSON files under <c>Triage/Rules</c>. Phrases are matched
/// case- and accent-insensitively, traditional Chinese as simplified. Phrase syntax: <c>{a|b}</c> alternatives,
/// <c>word*</c> a prefix, <c>*word</c> a suffix, <c>a .. b</c> both in this order within the proximity window.
/// </summary>
internal sealed class TriageRules
{
    public required CategoryRules Categories { get; init; }

    public required LanguageRules Languages { get; init; }

    public required SecretRules Secrets { get; init; }

    public required EntityRules Entities { get; init; }

    public required Dictionary<string, string> ChineseVariants { get; init; }

    public required ConceptRules Concepts { get; init; }

    /// <summary>The concept lexicons, one per language file under <c>Rules/Lexicon</c>.</summary>
    public required List<Lexicon> Lexicons { get; init; }

    /// <summary>The trained model that may raise a message to urgent security (<c>Rules/second-opinion.bin</c>); none: rules alone.</summary>
    public SecondOpinion? SecondOpinion { get; init; }

    /// <summary>The trained model that reads a message's category where the rules' evidence is weak (<c>Rules/category-opinion.bin</c>); none: rules alone.</summary>
    public CategoryOpinion? CategoryOpinion { get; init; }

    /// <param name="models">Whether to load the trained models too (<c>triage train</c> does not, so that a model of an
    /// older shape never stops its own retraining; it unsets the probabilities before building an engine).</param>
    public static TriageRules LoadEmbedded(bool models = true)
    {
        const string lexiconPrefix = "Intake.Triage.Rules.Lexicon.";
        var lexicons = typeof(TriageRules).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(lexiconPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Load(name, TriageRulesJsonContext.Default.Lexicon))
            .ToList();
        return new TriageRules
        {
            Concepts = Load("concepts.json", TriageRulesJsonContext.Default.ConceptRules),
            Lexicons = lexicons,
            Categories = Load("categories.json", TriageRulesJsonContext.Default.CategoryRules),
            Languages = Load("languages.json", TriageRulesJsonContext.Default.LanguageRules),
            Secrets = Load("secrets.json", TriageRulesJsonContext.Default.SecretRules),
            Entities = Load("entities.json", TriageRulesJsonContext.Default.EntityRules),
            ChineseVariants = Load("chinese-variants.json", TriageRulesJsonContext.Default.DictionaryStringString),
            SecondOpinion = models ? LoadModel(SecondOpinionTraining.SecondOpinionFile, SecondOpinion.Load) : null,
            CategoryOpinion = models ? LoadModel(SecondOpinionTraining.CategoryOpinionFile, CategoryOpinion.Load) : null,
        };
    }

    private static T? LoadModel<T>(string file, Func<Stream, T> load)
        where T : class
    {
        using var stream = typeof(TriageRules).Assembly.GetManifestResourceStream("Intake.Triage.Rules." + file);
        return stream is null ? null : load(stream);
    }

    internal static Stream OpenResource(string name)
    {
        return typeof(TriageRules).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
    }

    private static T Load<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        using var stream = OpenResource(file.StartsWith("Intake.", StringComparison.Ordinal) ? file : "Intake.Triage.Rules." + file);
        return JsonSerializer.Deserialize(stream, typeInfo)
            ?? throw new InvalidOperationException($"Triage rules file '{file}' is empty.");
    }
}

/// <summary>Phrases keyed by language tag; the tag is for the people editing the file, matching ignores it.</summary>
internal sealed class PhraseRule
{
    public required string Id { get; init; }

    public string? Category { get; init; }

    public string? Signal { get; init; }

    public int Weight { get; set; } = 1;

    public required Dictionary<string, List<string>> Phrases { get; init; }
}

internal sealed class CategoryRules
{
    /// <summary>In order of precedence: on a tie the earlier category wins.</summary>
    public required List<CategoryDefinition> Categories { get; init; }

    public required List<PhraseRule> Rules { get; init; }

    /// <summary>Applied in order after scoring.</summary>
    public required List<CategoryPolicy> Policies { get; init; }

    public int ProximityWindow { get; set; } = 40;

    /// <summary>The probability at which the second opinion raises a message the rules rated below urgent; none: never.</summary>
    public double? SecondOpinionAt { get; set; }

    /// <summary>The probability at which the category opinion's reading replaces the rules' category below urgent; none: never.</summary>
    public double? CategoryOpinionAt { get; set; }

    /// <summary>The strongest rule score the category opinion may overrule when its category is no more urgent than the rules'.</summary>
    public int CategoryOpinionOverrules { get; set; }
}

internal sealed class CategoryDefinition
{
    public required string Name { get; init; }

    public required string Urgency { get; init; }
}

internal sealed class CategoryPolicy
{
    public required string Id { get; init; }

    /// <summary>The category the policy applies to; none: any category.</summary>
    public string? Category { get; init; }

    public List<string> WhenAny { get; set; } = [];

    public List<string> WhenAll { get; set; } = [];

    public List<string> UnlessAny { get; set; } = [];

    /// <summary>Applies only when the category's score is at most this.</summary>
    public int? MaxScore { get; init; }

    public string? SetCategory { get; init; }

    /// <summary>
    /// Gives the message to the best other category (not <c>general</c>) that scores at least this much: feedback that
    /// also reports a problem is the problem.
    /// </summary>
    public int? YieldAtScore { get; init; }

    public string? SetUrgency { get; init; }

    public string? Flag { get; init; }

    /// <summary>
    /// The customer said something the model cannot weigh ("that login was me"): where this policy applies, the second
    /// opinion may not raise the message.
    /// </summary>
    public bool WithholdsSecondOpinion { get; init; }
}

/// <summary>Concepts and the combinations that read them (<c>concepts.json</c>).</summary>
internal sealed class ConceptRules
{
    /// <summary>A message of at most this many characters is one scope; longer ones are read a sentence and the next at a time.</summary>
    public int ShortMessage { get; set; } = 140;

    public required List<ConceptDefinition> Concepts { get; init; }

    public required List<ConceptCombination> Combinations { get; init; }
}

internal sealed class ConceptDefinition
{
    public required string Id { get; init; }

    /// <summary>What the concept means, for the people writing its words in each language.</summary>
    public required string Meaning { get; init; }
}

/// <summary>A rule made of concepts: every "all" and one "any" concept in one scope, no "unless" concept anywhere.</summary>
internal sealed class ConceptCombination
{
    public required string Id { get; init; }

    public string? Category { get; init; }

    public string? Signal { get; init; }

    public int Weight { get; set; } = 1;

    public List<string> All { get; set; } = [];

    public List<string> Any { get; set; } = [];

    public List<string> Unless { get; set; } = [];
}

/// <summary>One language's words for each concept (<c>Lexicon/&lt;language&gt;.json</c>).</summary>
internal sealed class Lexicon
{
    public required string Language { get; init; }

    public required Dictionary<string, List<string>> Concepts { get; init; }
}

internal sealed class LanguageRules
{
    /// <summary>In order of precedence for ties.</summary>
    public required List<LanguageCues> Languages { get; init; }

    /// <summary>Japanese when kana make up at least this share of the CJK characters.</summary>
    public double KanaShare { get; set; } = 0.1;
}

internal sealed class LanguageCues
{
    public required string Tag { get; init; }

    /// <summary><c>latin</c> or <c>cyrillic</c>: the script whose words this list tells apart.</summary>
    public required string Script { get; init; }

    /// <summary>False for languages we recognise only to avoid mistaking them for one we support; they report <c>und</c>.</summary>
    public bool Supported { get; set; } = true;

    public List<string> Words { get; set; } = [];

    public List<string> Strong { get; set; } = [];

    public string Chars { get; set; } = "";

    public int CharWeight { get; set; } = 2;
}

internal sealed class SecretRules
{
    /// <summary>Kinds that make a message urgent and flag <c>secret_exposed</c>.</summary>
    public required List<string> Exposing { get; init; }

    /// <summary>Label phrases per label kind (see <see cref="LabelKind"/>), each keyed by language.</summary>
    public required Dictionary<string, Dictionary<string, List<string>>> Labels { get; init; }

    /// <summary>Words that may stand between a label and its value ("is", "was", "是").</summary>
    public required List<string> ValueSeparators { get; init; }

    /// <summary>Words that may stand between a one-time-code label and the code ("code", "number").</summary>
    public required List<string> OtpFillers { get; init; }

    /// <summary>Words that follow a password label but are not a password ("incorrect", "reset").</summary>
    public required List<string> PasswordStopValues { get; init; }

    /// <summary>
    /// How far before a 64-hex string a key or hash label may stand, in the same sentence (the nearest wins). Wide
    /// enough for "here is the private key of my wallet, please check what is in it: …" (51 characters in Russian):
    /// a key taken for a hash would be stored, a hash taken for a key is only redacted.
    /// </summary>
    public int HexLabelWindow { get; set; } = 96;

    /// <summary>How far after a 64-hex string a key label may stand ("... is my private key").</summary>
    public int HexLabelAfterWindow { get; set; } = 24;
}

internal sealed class EntityRules
{
    public required List<AssetDefinition> Assets { get; init; }

    public required List<AssetDefinition> Networks { get; init; }

    public required Dictionary<string, List<string>> OrderIdLabels { get; init; }

    public required List<string> OrderIdSeparators { get; init; }
}

internal sealed class AssetDefinition
{
    public required string Symbol { get; init; }

    public List<string> Names { get; set; } = [];

    /// <summary>Match the symbol only as written in capitals (TON, SOL, OP are also words).</summary>
    public bool CaseSensitive { get; init; }
}

// Optional members use setters, not init: source-generated deserialization assigns every init-only member, which
// would replace a default with null or zero when the operator leaves it out.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CategoryRules))]
[JsonSerializable(typeof(LanguageRules))]
[JsonSerializable(typeof(SecretRules))]
[JsonSerializable(typeof(EntityRules))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ConceptRules))]
[JsonSerializable(typeof(Lexicon))]
internal sealed partial class TriageRulesJsonContext : JsonSerializerContext;
