using System.Text;
using Intake.Triage.Text;

namespace Intake.Triage;

internal enum LabelKind : byte
{
    Mnemonic,
    PrivateKey,
    /// <summary>Labels like "key" or "priv" that name a key only right before it ("key: 8baa...").</summary>
    PrivateKeyWeak,
    /// <summary>Keys that are not secret ("public key", "API key"): the string is neither a secret nor a hash.</summary>
    PublicKey,
    TxHash,
    Password,
    /// <summary>Short or ambiguous labels ("pass", "pw") that count only with an explicit ':' or '='.</summary>
    PasswordWeak,
    ApiSecret,
    ApiSecretWeak,
    Otp,
    OrderId,
}

internal enum UseKind : byte
{
    Rule,
    ComboPart,
    Language,
    Label,
    Asset,
    Network,
    Concept,
}

/// <summary>What a matched phrase means; one phrase can mean several things.</summary>
internal readonly record struct PhraseUse(UseKind Kind, int Target, int Value);

/// <summary>A concept combination as masks over concept indexes; <see cref="Rule"/> indexes the rule tables.</summary>
internal sealed record CompiledCombination(int Rule, ulong All, ulong Any, ulong Unless);

internal sealed record CompiledPolicy(
    string Id, TicketCategory? Category, uint WhenAny, uint WhenAll, uint UnlessAny, int? MaxScore, TicketCategory? SetCategory, int? YieldAtScore, Urgency? SetUrgency, string? Flag, bool WithholdsSecondOpinion)
{
    /// <summary>Whether a message with <paramref name="signals"/> meets the policy's signal conditions (its category and score aside).</summary>
    public bool SignalsHold(uint signals) =>
        (WhenAny == 0 || (signals & WhenAny) != 0) && (signals & WhenAll) == WhenAll && (signals & UnlessAny) == 0;
}

/// <summary>The rule files turned into one phrase matcher and flat tables, once, at start-up.</summary>
internal sealed class CompiledRules
{
    private static readonly string[] LabelNames =
        ["mnemonic", "private_key", "private_key_weak", "public_key", "tx_hash", "password", "password_weak", "api_secret", "api_secret_weak", "otp", "order_id"];

    private readonly Dictionary<Phrase, int> _phraseIds = [];
    private readonly List<Phrase> _phrases = [];
    private readonly List<List<PhraseUse>> _uses = [];
    private readonly List<string> _signals = [];

    public CompiledRules(TriageRules rules, TextFolder folder)
    {
        Folder = folder;

        var categories = rules.Categories;
        Precedence = [.. categories.Categories.Select(c => ParseCategory(c.Name))];
        BaseUrgency = new Urgency[Precedence.Length];
        foreach (var definition in categories.Categories)
        {
            BaseUrgency[(int)ParseCategory(definition.Name)] = ParseUrgency(definition.Urgency, definition.Name);
        }

        if (Precedence.Distinct().Count() != Enum.GetValues<TicketCategory>().Length)
        {
            throw new InvalidDataException("categories.json must list every category exactly once.");
        }

        ProximityWindow = categories.ProximityWindow;
        var ruleIds = new List<string>();
        var ruleCategory = new List<int>();
        var ruleSignal = new List<int>();
        var ruleWeight = new List<int>();
        var comboRule = new List<int>();
        var comboOffset = new List<int>();
        var comboParts = new List<int>();
        var comboConcept = new List<int>();
        var partGap = new List<int>();

        // A phrase of one part is a use of its own; one of several parts (" .. ", a prefix word, a large phrase cut into
        // pieces) is a chain that completes a rule or marks a concept when its parts are found in order.
        void AddPhrase(string phrase, PhraseUse whole, int rule, int concept)
        {
            var parts = PhraseSyntax.ParseParts(phrase, folder);
            if (parts.Count == 1)
            {
                AddAll(parts[0].Variants, whole);
                return;
            }

            var combo = comboRule.Count;
            comboRule.Add(rule);
            comboConcept.Add(concept);
            comboOffset.Add(partGap.Count);
            comboParts.Add(parts.Count);
            for (var k = 0; k < parts.Count; k++)
            {
                AddAll(parts[k].Variants, new PhraseUse(UseKind.ComboPart, combo, k));
                partGap.Add(parts[k].MaxGap);
            }
        }
        foreach (var rule in categories.Rules)
        {
            var index = ruleIds.Count;
            ruleIds.Add(rule.Id);
            ruleCategory.Add(rule.Category is null ? -1 : (int)ParseCategory(rule.Category));
            ruleSignal.Add(rule.Signal is null ? -1 : SignalIndex(rule.Signal));
            ruleWeight.Add(rule.Weight);
            if (rule.Category is null && rule.Signal is null)
            {
                throw new InvalidDataException($"Rule '{rule.Id}' has neither a category nor a signal.");
            }

            foreach (var phrase in rule.Phrases.Values.SelectMany(p => p))
            {
                AddPhrase(phrase, new PhraseUse(UseKind.Rule, index, 0), index, -1);
            }
        }

        // Concepts: each lexicon phrase marks its concept; a phrase of several parts marks it when all parts are found in
        // order, within one sentence, like a rule's "a .. b".
        var concepts = rules.Concepts;
        ConceptIds = [.. concepts.Concepts.Select(c => c.Id)];
        if (ConceptIds.Length > 64 || ConceptIds.Distinct().Count() != ConceptIds.Length)
        {
            throw new InvalidDataException("concepts.json: at most 64 concepts, each id once.");
        }

        ShortMessage = concepts.ShortMessage;
        foreach (var lexicon in rules.Lexicons)
        {
            foreach (var (conceptId, phrases) in lexicon.Concepts)
            {
                var concept = ConceptIndex(conceptId, $"Lexicon/{lexicon.Language}.json");
                foreach (var phrase in phrases)
                {
                    AddPhrase(phrase, new PhraseUse(UseKind.Concept, concept, 0), -1, concept);
                }
            }
        }

        var combinations = new List<CompiledCombination>();
        var combinationsOf = ConceptIds.Select(_ => new List<int>()).ToArray();
        foreach (var combination in concepts.Combinations)
        {
            if (ruleIds.Contains(combination.Id))
            {
                throw new InvalidDataException($"concepts.json: combination '{combination.Id}' has the id of a rule.");
            }

            if (combination.All.Count == 0 || (combination.Category is null && combination.Signal is null))
            {
                throw new InvalidDataException($"concepts.json: combination '{combination.Id}' needs an \"all\" concept and a category or a signal.");
            }

            var index = ruleIds.Count;
            ruleIds.Add(combination.Id);
            ruleCategory.Add(combination.Category is null ? -1 : (int)ParseCategory(combination.Category));
            ruleSignal.Add(combination.Signal is null ? -1 : SignalIndex(combination.Signal));
            ruleWeight.Add(combination.Weight);
            var compiled = new CompiledCombination(
                index, ConceptMask(combination.All, combination.Id), ConceptMask(combination.Any, combination.Id), ConceptMask(combination.Unless, combination.Id));
            foreach (var concept in combination.All.Concat(combination.Any).Distinct())
            {
                combinationsOf[ConceptIndex(concept, combination.Id)].Add(combinations.Count);
            }

            combinations.Add(compiled);
        }

        Combinations = [.. combinations];
        CombinationsOf = [.. combinationsOf.Select(list => list.ToArray())];

        RuleIds = [.. ruleIds];
        RuleCategory = [.. ruleCategory];
        RuleSignal = [.. ruleSignal];
        RuleWeight = [.. ruleWeight];
        ComboRule = [.. comboRule];
        ComboOffset = [.. comboOffset];
        ComboParts = [.. comboParts];
        ComboConcept = [.. comboConcept];
        ChainLength = partGap.Count;
        PartGap = [.. partGap];

        var ruleSignals = _signals.Count;
        Policies = [.. categories.Policies.Select(p => new CompiledPolicy(
            p.Id,
            p.Category is null ? null : ParseCategory(p.Category),
            SignalMask(p.WhenAny),
            SignalMask(p.WhenAll),
            SignalMask(p.UnlessAny),
            p.MaxScore,
            p.SetCategory is null ? null : ParseCategory(p.SetCategory),
            p.YieldAtScore,
            p.SetUrgency is null ? null : ParseUrgency(p.SetUrgency, p.Id),
            p.Flag,
            p.WithholdsSecondOpinion))];

        if (_signals.Count > ruleSignals)
        {
            throw new InvalidDataException($"A policy names signal '{_signals[ruleSignals]}', which no rule raises.");
        }

        Languages = [.. rules.Languages.Languages];
        KanaShare = rules.Languages.KanaShare;
        CharCue = new byte[char.MaxValue + 1];
        var commonWords = new HashSet<string>(StringComparer.Ordinal);
        for (var lang = 0; lang < Languages.Length; lang++)
        {
            var cues = Languages[lang];
            foreach (var word in cues.Words)
            {
                AddAll(PhraseSyntax.ParseSingle(word, folder), new PhraseUse(UseKind.Language, lang, 1));
                commonWords.Add(PhraseSyntax.Fold(word, folder));
            }

            foreach (var word in cues.Strong)
            {
                AddAll(PhraseSyntax.ParseSingle(word, folder), new PhraseUse(UseKind.Language, lang, 3));
            }

            foreach (var c in cues.Chars)
            {
                CharCue[c] = (byte)(lang + 1);
                CharCue[char.ToUpperInvariant(c)] = (byte)(lang + 1);
            }
        }

        CommonWords = commonWords;

        var secrets = rules.Secrets;
        foreach (var (kindName, byLanguage) in secrets.Labels)
        {
            var kind = Array.IndexOf(LabelNames, kindName);
            if (kind < 0)
            {
                throw new InvalidDataException($"Unknown secret label kind '{kindName}'.");
            }

            foreach (var phrase in byLanguage.Values.SelectMany(p => p))
            {
                AddAll(PhraseSyntax.ParseSingle(phrase, folder), new PhraseUse(UseKind.Label, kind, 0));
            }
        }

        ExposingKinds = [.. secrets.Exposing.Select(k => TriageNames.TryParseSecretKind(k, out var kind)
            ? kind
            : throw new InvalidDataException($"Unknown secret kind '{k}'."))];
        ValueSeparators = FoldAll(secrets.ValueSeparators);
        OtpFillers = FoldAll(secrets.OtpFillers);
        PasswordStopValues = new HashSet<string>(secrets.PasswordStopValues.Select(v => PhraseSyntax.Fold(v, folder)), StringComparer.Ordinal);
        HexLabelWindow = secrets.HexLabelWindow;
        HexLabelAfterWindow = secrets.HexLabelAfterWindow;

        var entities = rules.Entities;
        Assets = [.. entities.Assets];
        Networks = [.. entities.Networks];
        AddAssets(Assets, UseKind.Asset);
        AddAssets(Networks, UseKind.Network);
        foreach (var phrase in entities.OrderIdLabels.Values.SelectMany(p => p))
        {
            AddAll(PhraseSyntax.ParseSingle(phrase, folder), new PhraseUse(UseKind.Label, (int)LabelKind.OrderId, 0));
        }

        OrderIdSeparators = FoldAll(entities.OrderIdSeparators);

        Matcher = new PhraseMatcher(_phrases);
        UseStart = new int[_phrases.Count + 1];
        var flat = new List<PhraseUse>();
        for (var p = 0; p < _phrases.Count; p++)
        {
            UseStart[p] = flat.Count;
            flat.AddRange(_uses[p]);
        }

        UseStart[_phrases.Count] = flat.Count;
        Uses = [.. flat];
        Signals = [.. _signals];

        // Only needed while building: the engine keeps the matcher and the flat tables.
        _phraseIds.Clear();
        _phraseIds.TrimExcess();
        _phrases.Clear();
        _phrases.TrimExcess();
        _uses.Clear();
        _uses.TrimExcess();
    }

    public TextFolder Folder { get; }

    public PhraseMatcher Matcher { get; }

    public PhraseUse[] Uses { get; }

    public int[] UseStart { get; }

    public TicketCategory[] Precedence { get; }

    public Urgency[] BaseUrgency { get; }

    public string[] RuleIds { get; }

    public int[] RuleCategory { get; }

    public int[] RuleSignal { get; }

    public int[] RuleWeight { get; }

    public int[] ComboRule { get; }

    public int[] ComboOffset { get; }

    public int[] ComboParts { get; }

    /// <summary>For each chain, the concept it marks when complete, or -1 when it completes a rule.</summary>
    public int[] ComboConcept { get; }

    /// <summary>For each chain slot, the most characters between it and the slot before; <see cref="PhraseSyntax.WindowGap"/>: the proximity window.</summary>
    public int[] PartGap { get; }

    public string[] ConceptIds { get; }

    public CompiledCombination[] Combinations { get; }

    /// <summary>For each concept, the combinations that read it.</summary>
    public int[][] CombinationsOf { get; }

    public int ShortMessage { get; }

    public int ChainLength { get; }

    public int ProximityWindow { get; }

    public string[] Signals { get; }

    public CompiledPolicy[] Policies { get; }

    public LanguageCues[] Languages { get; }

    public double KanaShare { get; }

    /// <summary>For each character, 1 + the index of the language it points to, or 0.</summary>
    public byte[] CharCue { get; }

    public HashSet<string> CommonWords { get; }

    public SecretKind[] ExposingKinds { get; }

    public string[] ValueSeparators { get; }

    public string[] OtpFillers { get; }

    public HashSet<string> PasswordStopValues { get; }

    public int HexLabelWindow { get; }

    public int HexLabelAfterWindow { get; }

    public AssetDefinition[] Assets { get; }

    public AssetDefinition[] Networks { get; }

    public string[] OrderIdSeparators { get; }

    public int SignalIndex(string name)
    {
        var index = _signals.IndexOf(name);
        if (index < 0)
        {
            if (_signals.Count == 32)
            {
                throw new InvalidDataException("At most 32 distinct signals.");
            }

            index = _signals.Count;
            _signals.Add(name);
        }

        return index;
    }

    private int ConceptIndex(string id, string where)
    {
        var index = Array.IndexOf(ConceptIds, id);
        return index >= 0 ? index : throw new InvalidDataException($"{where}: unknown concept '{id}' (concepts.json lists them).");
    }

    private ulong ConceptMask(List<string> ids, string where)
    {
        var mask = 0ul;
        foreach (var id in ids)
        {
            mask |= 1ul << ConceptIndex(id, where);
        }

        return mask;
    }

    private uint SignalMask(List<string> names)
    {
        var mask = 0u;
        foreach (var name in names)
        {
            mask |= 1u << SignalIndex(name);
        }

        return mask;
    }

    private string[] FoldAll(List<string> words) =>
        [.. words.Select(w => PhraseSyntax.Fold(w, Folder) is { Length: > 0 } folded
                ? folded
                : throw new InvalidDataException($"Separator '{w}' is only spaces or dashes, which are skipped anyway."))
            .Distinct()
            .OrderByDescending(w => w.Length)];

    private void AddAssets(AssetDefinition[] definitions, UseKind kind)
    {
        for (var i = 0; i < definitions.Length; i++)
        {
            foreach (var name in definitions[i].Names)
            {
                AddAll(PhraseSyntax.ParseSingle(name, Folder), new PhraseUse(kind, i, 0));
            }

            // No left boundary: a symbol may follow its amount directly ("500USDT"); the engine rejects a letter there.
            AddAll(PhraseSyntax.ParseSingle("*" + definitions[i].Symbol, Folder), new PhraseUse(kind, i, 1));
        }
    }

    private void AddAll(List<Phrase> variants, PhraseUse use)
    {
        foreach (var variant in variants)
        {
            Add(variant, use);

            // Korean is often typed without its spaces in a hurry ("유심재발급했대요"): a phrase spaced between syllables
            // is found run together too.
            if (WithoutHangulSpaces(variant.Text) is { } unspaced)
            {
                Add(variant with { Text = unspaced }, use);
            }
        }
    }

    /// <summary><paramref name="text"/> without the spaces that stand between two Hangul syllables; none when it has no such space.</summary>
    private static string? WithoutHangulSpaces(string text)
    {
        static bool IsSyllable(char c) => c is >= '\uAC00' and <= '\uD7A3';
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!(text[i] == ' ' && i > 0 && i + 1 < text.Length && IsSyllable(text[i - 1]) && IsSyllable(text[i + 1])))
            {
                kept.Append(text[i]);
            }
        }

        return kept.Length == text.Length ? null : kept.ToString();
    }

    private void Add(Phrase phrase, PhraseUse use)
    {
        if (!_phraseIds.TryGetValue(phrase, out var id))
        {
            id = _phrases.Count;
            _phraseIds.Add(phrase, id);
            _phrases.Add(phrase);
            _uses.Add([]);
        }

        if (!_uses[id].Contains(use))
        {
            _uses[id].Add(use);
        }
    }

    private static TicketCategory ParseCategory(string name) =>
        TriageNames.TryParseCategory(name, out var category) ? category : throw new InvalidDataException($"Unknown category '{name}'.");

    private static Urgency ParseUrgency(string name, string where) =>
        TriageNames.TryParseUrgency(name, out var urgency) ? urgency : throw new InvalidDataException($"Unknown urgency '{name}' in '{where}'.");
}
