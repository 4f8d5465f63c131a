using System.Buffers;
using System.Collections.Frozen;
using System.Numerics;
using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>
/// Triage of one message: language, category, urgency, secrets redacted, entities pulled out, and the rules that
/// decided. Deterministic; rules and word lists load once; <see cref="Triage"/> is thread-safe and does no I/O.
/// </summary>
public sealed class TriageEngine
{
    private static readonly Lazy<TriageEngine> Shared = new(() => new TriageEngine(TriageRules.LoadEmbedded()));
    private static readonly IReadOnlyDictionary<SecretKind, int> NoRedactions = FrozenDictionary<SecretKind, int>.Empty;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly CompiledRules _rules;
    private readonly Bip39Wordlists _lists;
    private readonly MnemonicScanner _mnemonics;
    private readonly SecretScanner _secrets;
    private readonly EntityScanner _entities;
    private readonly LanguageDetector _languages;
    private readonly SecondOpinion? _opinion;
    private readonly double _raiseAt;
    private readonly CategoryOpinion? _categoryOpinion;
    private readonly double _categoryAt;
    private readonly int _categoryOverrules;

    internal TriageEngine(TriageRules rules)
    {
        _lists = Bip39Wordlists.LoadEmbedded();
        var curated = rules.ChineseVariants
            .Select(pair => pair.Key.Length == 1 && pair.Value.Length == 1
                ? new KeyValuePair<char, char>(pair.Key[0], pair.Value[0])
                : throw new InvalidDataException($"chinese-variants.json: '{pair.Key}' → '{pair.Value}' is not one character to one."))
            .ToList();
        var folder = new TextFolder(curated.Concat(_lists.TraditionalToSimplified()));
        _rules = new CompiledRules(rules, folder);
        _lists.Index(folder, _rules.CommonWords);
        _mnemonics = new MnemonicScanner(_lists);
        _secrets = new SecretScanner(_rules);
        _entities = new EntityScanner(_rules);
        _languages = new LanguageDetector(_rules, new ChineseScript(_lists, curated));
        if (rules.Categories.SecondOpinionAt is { } raiseAt)
        {
            _opinion = rules.SecondOpinion ?? throw new InvalidDataException("categories.json: secondOpinionAt is set and there is no second-opinion model.");
            _raiseAt = raiseAt is > 0 and <= 1 ? raiseAt : throw new InvalidDataException("categories.json: secondOpinionAt is a probability above 0, at most 1.");
        }

        if (rules.Categories.CategoryOpinionAt is { } categoryAt)
        {
            _categoryOpinion = rules.CategoryOpinion ?? throw new InvalidDataException("categories.json: categoryOpinionAt is set and there is no category-opinion model.");
            _categoryAt = categoryAt is > 0 and <= 1 ? categoryAt : throw new InvalidDataException("categories.json: categoryOpinionAt is a probability above 0, at most 1.");
            _categoryOverrules = rules.Categories.CategoryOpinionOverrules;
        }
    }

    /// <summary>The probability at which the second opinion raises a message; none when the engine has none.</summary>
    public double? SecondOpinionAt => _opinion is null ? null : _raiseAt;

    /// <summary>The rule named when the second opinion raised a message.</summary>
    public const string SecondOpinionRule = "second_opinion.incident";

    /// <summary>The probability at which the category opinion's reading replaces the rules'; none when the engine has none.</summary>
    public double? CategoryOpinionAt => _categoryOpinion is null ? null : _categoryAt;

    /// <summary>The rule named when the category opinion's reading replaced the rules' category.</summary>
    public const string CategoryOpinionRule = "second_opinion.category";

    /// <summary>How many category rules the engine loaded.</summary>
    public int RuleCount => _rules.RuleIds.Length;

    /// <summary>The engine over the embedded rules, built on first use.</summary>
    public static TriageEngine Default => Shared.Value;

    /// <summary>
    /// <paramref name="text"/> redacted and cut to <paramref name="keep"/> characters, <paramref name="note"/> included
    /// when it is cut. Triage reads a window a little longer than what is kept (<see cref="TextRedaction.Margin"/>), so a
    /// secret across the cut is judged whole and its kept part redacted, and the work stays bounded however long the text.
    /// </summary>
    public string RedactAndCut(string text, int keep, string note = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(note);
        var window = TextRedaction.Window(text, keep);
        return TextRedaction.Cut(window, 0, window.Length, Triage(window).SecretSpans, keep, note);
    }

    public TriageResult Triage(string? text) => Run(text, explain: false).Result;

    /// <summary>
    /// Triage of one message with the reasons: every rule and combination that fired (or was withheld), its weight and
    /// the words it matched, the concepts found, the scores and the policies applied. Slower than <see cref="Triage"/>;
    /// for an operator asking why, not for the intake path. Matched words never include a secret.
    /// </summary>
    public TriageExplanation Explain(string? text) => Run(text, explain: true);

    private TriageExplanation Run(string? text, bool explain)
    {
        text ??= "";
        var scratch = t_scratch ??= new Scratch();
        scratch.Reset(text.Length, _rules);
        scratch.Explain = explain;
        try
        {
            var result = Run(text, scratch);
            return explain ? Explanation(text, result, scratch) : new TriageExplanation(result, [], [], FrozenDictionary<string, int>.Empty, [], null);
        }
        finally
        {
            scratch.Release();
        }
    }

    private TriageResult Run(string text, Scratch s)
    {
        var folded = s.Folded.AsSpan(0, text.Length);
        _rules.Folder.Fold(text, folded);
        _rules.Matcher.FindAll(folded, s.Matches);

        // Pass 1: the labels that secrets and entities depend on.
        foreach (var match in s.Matches)
        {
            foreach (var use in Uses(match.Phrase))
            {
                if (use.Kind == UseKind.Label)
                {
                    // A label written as a prefix ("şifre*") covers the whole word it starts ("şifrem").
                    var end = match.End;
                    while (end < folded.Length && (CharClass.Of(folded[end]) & (CharKind.Latin | CharKind.Cyrillic | CharKind.Mark)) != 0)
                    {
                        end++;
                    }

                    s.Labels.Add(new LabelMatch((LabelKind)use.Target, match.Start, end));
                }
            }
        }

        var checksumMismatch = false;
        _entities.Scan(text, folded, s.Labels, s.Entities, s.Secrets, s.Rules, ref checksumMismatch);
        _mnemonics.Scan(text, folded, s.Labels, s.Tokens, s.Secrets);
        _secrets.Scan(text, folded, s.Labels, s.Entities, s.Secrets);
        s.Secrets.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        TextRedaction.MergeOverlapping(s.Secrets);

        // Pass 2: everything else, ignoring what falls inside a secret.
        s.Short = text.Length <= _rules.ShortMessage;
        Sentences.Split(text, s.SentenceStarts); // the original: folding turns "。" into "."
        ScoreMatches(text, folded, s);
        FireCombinations(s);

        var languageTag = _languages.Detect(text, s.Secrets, s.Entities, s.LanguageScores, out var languageRule);
        s.Rules.Insert(0, languageRule);

        var (category, urgency) = Decide(s);

        var secretKinds = SecretKinds(s, out var redactions);
        var exposed = false;
        foreach (var kind in secretKinds)
        {
            exposed |= Array.IndexOf(_rules.ExposingKinds, kind) >= 0;
        }

        foreach (var secret in s.Secrets)
        {
            AddRule(s, secret.Rule);
            if (s.Explain)
            {
                s.Evidence.Add(new Evidence(-1, secret.Rule, null, [(secret.Start, secret.End)]));
            }
        }

        var ruled = urgency;
        if (exposed)
        {
            s.Flags.Add(TriageFlags.SecretExposed);
            if (urgency < Urgency.Urgent)
            {
                urgency = Urgency.Urgent;
                AddRule(s, "urgency.secret_exposed");
            }
        }

        if (checksumMismatch)
        {
            s.Flags.Add(TriageFlags.AddressChecksumMismatch);
        }

        // The trained models read what would be stored; neither is consulted on a message the rules themselves made
        // urgent (urgent only for a pasted secret, the second opinion still has its say).
        var redacted = TextRedaction.Redact(text, 0, text.Length, s.Secrets);
        if ((_opinion is not null || _categoryOpinion is not null) && (ruled < Urgency.Urgent || s.Explain))
        {
            (category, urgency) = SecondOpinions(redacted, category, urgency, ruled, s);
        }

        return new TriageResult(
            languageTag,
            category,
            urgency,
            secretKinds,
            redactions,
            redacted,
            Entities(text, folded, s),
            s.Flags.Count == 0 ? [] : [.. s.Flags],
            [.. s.Rules])
        {
            SecretSpans = s.Secrets.Count == 0 ? [] : [.. s.Secrets],
        };
    }

    /// <summary>
    /// The second opinion may only raise: a message the rules left below urgent that reads like an incident becomes one
    /// (<paramref name="ruled"/> is the urgency before a pasted secret made it urgent: the phrase typed into a fake
    /// "sync" form is theft, not a wallet question). Under-triage costs funds, over-triage minutes. Then, still below
    /// urgent, the category opinion's likeliest category (never security) replaces the rules' when it is confident and
    /// either raises the urgency or overrules no more than topic words and weak problems — never a state that decides
    /// the ticket, a secret or an incident. A policy that withholds the second opinion withholds both.
    /// </summary>
    private (TicketCategory, Urgency) SecondOpinions(string redacted, TicketCategory category, Urgency urgency, Urgency ruled, Scratch s)
    {
        var folded = ArrayPool<char>.Shared.Rent(redacted.Length);
        try
        {
            var span = folded.AsSpan(0, redacted.Length);
            _rules.Folder.Fold(redacted, span);
            if (_opinion is not null)
            {
                s.Opinion = _opinion.Probability(span);
                if (ruled < Urgency.Urgent && s.Opinion >= _raiseAt && s.OpinionWithheldBy is null)
                {
                    (category, urgency) = (TicketCategory.Security, Urgency.Urgent);
                    AddRule(s, SecondOpinionRule);
                }
            }

            if (_categoryOpinion is not null && (urgency < Urgency.Urgent || s.Explain))
            {
                var (likeliest, probability) = _categoryOpinion.Likeliest(span);
                s.CategoryOpinion = (likeliest, probability);
                var itsUrgency = UrgencyOf(likeliest, s, out var raisedBy);
                if (urgency < Urgency.Urgent && likeliest != category && likeliest != TicketCategory.Security
                    && probability >= _categoryAt && s.OpinionWithheldBy is null
                    && (itsUrgency > urgency || s.Scores.Max() <= _categoryOverrules))
                {
                    (category, urgency) = (likeliest, itsUrgency);
                    AddRule(s, CategoryOpinionRule);
                    if (raisedBy is not null)
                    {
                        AddRule(s, raisedBy);
                        if (s.Explain)
                        {
                            s.Policies.Add(raisedBy);
                        }
                    }
                }
            }

            return (category, urgency);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(folded);
        }
    }

    /// <summary>What the second opinion reads of <paramref name="text"/>: the text redacted, then folded.</summary>
    internal string FoldedForSecondOpinion(string text) => _rules.Folder.Fold(Triage(text).RedactedText);

    private void ScoreMatches(string text, ReadOnlySpan<char> folded, Scratch s)
    {
        foreach (var match in s.Matches)
        {
            if (s.Secrets.Count > 0 && SpanList.Overlaps(s.Secrets, match.Start, match.End))
            {
                continue;
            }

            foreach (var use in Uses(match.Phrase))
            {
                switch (use.Kind)
                {
                    case UseKind.Rule:
                        Fire(s, use.Target, match.Start, match.End);
                        break;
                    case UseKind.Concept:
                        NoteConcept(s, use.Target, match.Start, match.End);
                        break;
                    case UseKind.ComboPart:
                        AdvanceCombo(s, use, match);
                        break;
                    case UseKind.Language:
                        s.LanguageScores[use.Target] += use.Value;
                        break;
                    case UseKind.Asset or UseKind.Network:
                        CollectAsset(text, folded, s, use, match);
                        break;
                    default:
                        break;
                }
            }
        }
    }

    private void AdvanceCombo(Scratch s, PhraseUse use, PhraseMatch match)
    {
        var first = _rules.ComboOffset[use.Target];
        var slot = first + use.Value;
        if (use.Value == 0)
        {
            s.Chain[slot] = match.End;
            s.ChainStart[slot] = match.Start;
            return;
        }

        // The parts of "a .. b" stand in one sentence, in order, at most the proximity window apart (a long clause
        // between them is fine, a full stop is not); the pieces a large phrase was cut into stand next to each other.
        var previousEnd = s.Chain[slot - 1];
        var gap = _rules.PartGap[slot];
        if (previousEnd < 0 || match.Start < previousEnd || Distance(s, previousEnd, match.Start) > (gap == PhraseSyntax.WindowGap ? _rules.ProximityWindow : gap)
            || Sentences.IndexOf(s.SentenceStarts, previousEnd - 1) != Sentences.IndexOf(s.SentenceStarts, match.Start))
        {
            return;
        }

        s.Chain[slot] = match.End;
        s.ChainStart[slot] = match.Start;
        if (use.Value != _rules.ComboParts[use.Target] - 1)
        {
            return;
        }

        var concept = _rules.ComboConcept[use.Target];
        if (concept >= 0)
        {
            NoteConcept(s, concept, s.ChainStart[first], match.End);
            return;
        }

        var rule = _rules.ComboRule[use.Target];
        if (s.Explain && !s.RuleFired[rule])
        {
            var spans = new List<(int, int)>();
            for (var k = first; k <= slot; k++)
            {
                spans.Add((s.ChainStart[k], s.Chain[k]));
            }

            s.Evidence.Add(new Evidence(rule, null, null, spans));
        }

        Fire(s, rule);
    }

    /// <summary>
    /// Records a concept found at [start, end) and marks each combination it completes: all of its "all" concepts and
    /// one "any" concept seen in this sentence or the one before (anywhere, in a short message).
    /// </summary>
    private void NoteConcept(Scratch s, int concept, int start, int end)
    {
        var sentence = s.Short ? 0 : Sentences.IndexOf(s.SentenceStarts, start);
        s.ConceptsSeen |= 1ul << concept;
        s.ConceptSentence[concept] = sentence;
        s.ConceptStart[concept] = start;
        s.ConceptEnd[concept] = end;
        if (s.Explain)
        {
            s.ConceptHits.Add((concept, start, end, sentence));
        }

        foreach (var index in _rules.CombinationsOf[concept])
        {
            if (s.CombinationMet[index])
            {
                continue;
            }

            var combination = _rules.Combinations[index];
            if (!AllInScope(s, combination.All, sentence) || (combination.Any != 0 && !AnyInScope(s, combination.Any, sentence)))
            {
                continue;
            }

            s.CombinationMet[index] = true;
            if (s.Explain)
            {
                var spans = new List<(int, int)>();
                for (var mask = combination.All | (combination.Any & InScope(s, combination.Any, sentence)); mask != 0; mask &= mask - 1)
                {
                    var c = BitOperations.TrailingZeroCount(mask);
                    spans.Add((s.ConceptStart[c], s.ConceptEnd[c]));
                }

                s.CombinationSpans[index] = spans;
            }
        }
    }

    private static bool AllInScope(Scratch s, ulong concepts, int sentence) => InScope(s, concepts, sentence) == concepts;

    private static bool AnyInScope(Scratch s, ulong concepts, int sentence) => InScope(s, concepts, sentence) != 0;

    /// <summary>Those of <paramref name="concepts"/> last seen in <paramref name="sentence"/> or the one before.</summary>
    private static ulong InScope(Scratch s, ulong concepts, int sentence)
    {
        var found = 0ul;
        for (var mask = concepts & s.ConceptsSeen; mask != 0; mask &= mask - 1)
        {
            var c = BitOperations.TrailingZeroCount(mask);
            if (s.ConceptSentence[c] >= sentence - 1)
            {
                found |= 1ul << c;
            }
        }

        return found;
    }

    /// <summary>Fires every combination met in scope, unless one of its "unless" concepts is anywhere in the message.</summary>
    private void FireCombinations(Scratch s)
    {
        for (var index = 0; index < _rules.Combinations.Length; index++)
        {
            if (!s.CombinationMet[index])
            {
                continue;
            }

            var combination = _rules.Combinations[index];
            var veto = combination.Unless & s.ConceptsSeen;
            if (s.Explain)
            {
                s.Evidence.Add(new Evidence(
                    combination.Rule, null, veto == 0 ? null : _rules.ConceptIds[BitOperations.TrailingZeroCount(veto)], s.CombinationSpans[index] ?? []));
            }

            if (veto == 0)
            {
                Fire(s, combination.Rule);
            }
        }
    }

    private void Fire(Scratch s, int rule, int start, int end)
    {
        if (s.Explain && !s.RuleFired[rule])
        {
            s.Evidence.Add(new Evidence(rule, null, null, [(start, end)]));
        }

        Fire(s, rule);
    }

    /// <summary>Characters between two phrase parts, an address or hash counting as one word however long it is.</summary>
    private static int Distance(Scratch s, int from, int to)
    {
        var distance = to - from;
        foreach (var entity in s.Entities)
        {
            if (entity.Start >= from && entity.End <= to)
            {
                distance -= entity.End - entity.Start - 1;
            }
        }

        return distance;
    }

    private void Fire(Scratch s, int rule)
    {
        if (s.RuleFired[rule])
        {
            return;
        }

        s.RuleFired[rule] = true;
        s.Rules.Add(_rules.RuleIds[rule]);
        var category = _rules.RuleCategory[rule];
        if (category >= 0)
        {
            s.Scores[category] += _rules.RuleWeight[rule];
        }

        var signal = _rules.RuleSignal[rule];
        if (signal >= 0)
        {
            s.Signals |= 1u << signal;
        }
    }

    private (TicketCategory Category, Urgency Urgency) Decide(Scratch s)
    {
        var category = TicketCategory.General;
        var best = 0;
        foreach (var candidate in _rules.Precedence)
        {
            if (s.Scores[(int)candidate] > best)
            {
                best = s.Scores[(int)candidate];
                category = candidate;
            }
        }

        if (best == 0)
        {
            s.Rules.Add("category.default");
        }

        var urgency = _rules.BaseUrgency[(int)category];
        foreach (var policy in _rules.Policies)
        {
            if ((policy.Category is { } only && only != category)
                || !policy.SignalsHold(s.Signals)
                || (policy.MaxScore is { } max && s.Scores[(int)category] > max))
            {
                continue;
            }

            if (policy.YieldAtScore is { } yieldAt)
            {
                var other = BestOther(s, category, yieldAt);
                if (other is null)
                {
                    continue;
                }

                category = other.Value;
                urgency = _rules.BaseUrgency[(int)category];
            }

            s.Rules.Add(policy.Id);
            if (s.Explain)
            {
                s.Policies.Add(policy.Id);
            }

            if (policy.SetCategory is { } newCategory)
            {
                category = newCategory;
                urgency = _rules.BaseUrgency[(int)newCategory];
            }

            if (policy.SetUrgency is { } newUrgency && newUrgency > urgency)
            {
                urgency = newUrgency;
            }

            if (policy.WithholdsSecondOpinion)
            {
                s.OpinionWithheldBy = policy.Id;
            }

            if (policy.Flag is { } flag && !s.Flags.Contains(flag))
            {
                s.Flags.Add(flag);
            }
        }

        return (category, urgency);
    }

    /// <summary>
    /// The urgency of <paramref name="category"/> for this message: its base, raised by the policies that only set the
    /// urgency of that category and whose signals the message has (a trade that failed or lost money is high, whether
    /// the rules or the category opinion named it trading).
    /// </summary>
    private Urgency UrgencyOf(TicketCategory category, Scratch s, out string? raisedBy)
    {
        var urgency = _rules.BaseUrgency[(int)category];
        raisedBy = null;
        foreach (var policy in _rules.Policies)
        {
            if (policy.Category == category && policy.SetUrgency is { } raised && raised > urgency
                && policy.SetCategory is null && policy.YieldAtScore is null && policy.MaxScore is null
                && policy.SignalsHold(s.Signals))
            {
                (urgency, raisedBy) = (raised, policy.Id);
            }
        }

        return urgency;
    }

    /// <summary>The best-scoring category other than <paramref name="current"/> and general that scores at least <paramref name="atLeast"/>.</summary>
    private TicketCategory? BestOther(Scratch s, TicketCategory current, int atLeast)
    {
        TicketCategory? best = null;
        var bestScore = atLeast - 1;
        foreach (var candidate in _rules.Precedence)
        {
            if (candidate != current && candidate != TicketCategory.General && s.Scores[(int)candidate] > bestScore)
            {
                bestScore = s.Scores[(int)candidate];
                best = candidate;
            }
        }

        return best;
    }

    private void CollectAsset(string text, ReadOnlySpan<char> folded, Scratch s, PhraseUse use, PhraseMatch match)
    {
        var definitions = use.Kind == UseKind.Asset ? _rules.Assets : _rules.Networks;
        var definition = definitions[use.Target];
        var isSymbol = use.Value == 1;

        // Symbols may follow a number directly ("500USDT") but not a letter.
        if (match.Start > 0 && (CharClass.Of(folded[match.Start - 1]) & (CharKind.Letter | CharKind.Mark)) != 0)
        {
            return;
        }

        if (isSymbol && definition.CaseSensitive && !text.AsSpan(match.Start, match.End - match.Start).SequenceEqual(definition.Symbol))
        {
            return;
        }

        var order = use.Kind == UseKind.Asset ? s.Assets : s.Networks;
        if (!order.Contains(use.Target))
        {
            order.Add(use.Target);
        }

        if (use.Kind == UseKind.Asset)
        {
            var numberStart = AmountStart(text, match.Start);
            if (numberStart >= 0)
            {
                s.Amounts.Add((numberStart, match.End));
            }
        }
    }

    /// <summary>Where the number before an asset starts ("1,200 USDT", "0.05BTC"), or -1.</summary>
    private static int AmountStart(string text, int assetStart)
    {
        var p = assetStart - 1;
        if (p >= 0 && text[p] == ' ')
        {
            p--;
        }

        var end = p + 1;
        while (p >= 0 && (char.IsAsciiDigit(text[p]) || (text[p] is ',' or '.' && p > 0 && char.IsAsciiDigit(text[p - 1]))))
        {
            p--;
        }

        var start = p + 1;
        if (start >= end || !char.IsAsciiDigit(text[start]) || (p >= 0 && char.IsAsciiLetterOrDigit(text[p])))
        {
            return -1;
        }

        return start;
    }

    private TriageEntities Entities(string text, ReadOnlySpan<char> folded, Scratch s)
    {
        foreach (var label in s.Labels)
        {
            if (label.Kind == LabelKind.OrderId)
            {
                ReadOrderId(text, folded, s, label);
            }
        }

        if (s.Entities.Count == 0 && s.Assets.Count == 0 && s.Networks.Count == 0 && s.OrderIds.Count == 0)
        {
            return TriageEntities.None;
        }

        return new TriageEntities(
            Distinct(text, s.Entities, EntityKind.TxHash),
            Distinct(text, s.Entities, EntityKind.Address),
            s.Assets.Count == 0 ? [] : [.. s.Assets.Select(i => _rules.Assets[i].Symbol)],
            s.Networks.Count == 0 ? [] : [.. s.Networks.Select(i => _rules.Networks[i].Symbol)],
            s.Amounts.Count == 0 ? [] : [.. s.Amounts.Select(a => text[a.Start..a.End]).Distinct()],
            s.OrderIds.Count == 0 ? [] : [.. s.OrderIds.Distinct()]);
    }

    private void ReadOrderId(string text, ReadOnlySpan<char> folded, Scratch s, LabelMatch label)
    {
        var start = ValueReader.SkipSeparators(folded, label.End, _rules.OrderIdSeparators, 12, out _, out _);
        var end = start;
        var digits = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || (text[end] == '-' && end > start)))
        {
            digits += char.IsAsciiDigit(text[end]) ? 1 : 0;
            end++;
        }

        if (end - start >= 5 && end - start <= 40 && digits >= 4
            && (start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1]))
            && !SpanList.Overlaps(s.Entities, start, end) && !SpanList.Overlaps(s.Secrets, start, end))
        {
            s.OrderIds.Add(text[start..end]);
        }
    }

    private static string[] Distinct(string text, List<EntitySpan> spans, EntityKind kind)
    {
        var count = 0;
        foreach (var span in spans)
        {
            count += span.Kind == kind ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var values = new List<string>(count);
        foreach (var span in spans)
        {
            if (span.Kind == kind)
            {
                // A value pasted with zero-width characters in it is kept without them.
                var value = text[span.Start..span.End];
                if (value.AsSpan().ContainsAny(CharClass.ZeroWidth))
                {
                    value = string.Concat(value.Where(c => !CharClass.IsZeroWidth(c)));
                }

                if (!values.Contains(value))
                {
                    values.Add(value);
                }
            }
        }

        return [.. values];
    }

    private static SecretKind[] SecretKinds(Scratch s, out IReadOnlyDictionary<SecretKind, int> redactions)
    {
        if (s.Secrets.Count == 0)
        {
            redactions = NoRedactions;
            return [];
        }

        var counts = new Dictionary<SecretKind, int>();
        foreach (var secret in s.Secrets)
        {
            counts[secret.Kind] = counts.GetValueOrDefault(secret.Kind) + 1;
        }

        redactions = counts;
        var kinds = counts.Keys.ToArray();
        Array.Sort(kinds);
        return kinds;
    }

    private TriageExplanation Explanation(string text, TriageResult result, Scratch s)
    {
        string Matched((int Start, int End) span)
        {
            // A prefix phrase ("withdraw*") shows the whole word it matched.
            var end = span.End;
            while (end < text.Length && end > span.Start && (CharClass.Of(text[end - 1]) & (CharKind.Latin | CharKind.Cyrillic)) != 0
                && (CharClass.Of(text[end]) & (CharKind.Latin | CharKind.Cyrillic | CharKind.Mark)) != 0)
            {
                end++;
            }

            return SpanList.Overlaps(s.Secrets, span.Start, end) ? "[redacted]" : text[span.Start..end];
        }

        var rules = new List<TriageRuleHit>(s.Evidence.Count);
        foreach (var evidence in s.Evidence)
        {
            if (evidence.Rule < 0)
            {
                rules.Add(new TriageRuleHit(evidence.Id!, null, 0, null, ["[redacted]"], null));
                continue;
            }

            var category = _rules.RuleCategory[evidence.Rule];
            var signal = _rules.RuleSignal[evidence.Rule];
            rules.Add(new TriageRuleHit(
                _rules.RuleIds[evidence.Rule],
                category < 0 ? null : ((TicketCategory)category).ToName(),
                _rules.RuleWeight[evidence.Rule],
                signal < 0 ? null : _rules.Signals[signal],
                [.. evidence.Spans.Select(Matched)],
                evidence.WithheldBy));
        }

        var scores = new Dictionary<string, int>();
        for (var category = 0; category < s.Scores.Length; category++)
        {
            if (s.Scores[category] != 0)
            {
                scores[((TicketCategory)category).ToName()] = s.Scores[category];
            }
        }

        // What the models read, folded once for both explanations.
        var read = s.Opinion is not null || s.CategoryOpinion is not null ? _rules.Folder.Fold(result.RedactedText) : "";
        return new TriageExplanation(
            result,
            rules,
            [.. s.ConceptHits.Select(hit => new TriageConceptHit(_rules.ConceptIds[hit.Concept], Matched((hit.Start, hit.End)), hit.Sentence))],
            scores,
            [.. s.Policies],
            s.Opinion is { } probability
                ? new TriageSecondOpinion(probability, _raiseAt, result.Rules.Contains(SecondOpinionRule), _opinion!.Strongest(read, 8), s.OpinionWithheldBy)
                : null)
        {
            CategoryOpinion = s.CategoryOpinion is var (likeliest, likelihood)
                ? new TriageCategoryOpinion(likeliest, likelihood, _categoryAt, result.Rules.Contains(CategoryOpinionRule), _categoryOpinion!.Strongest(read, likeliest, 8), s.OpinionWithheldBy)
                : null,
        };
    }

    private static void AddRule(Scratch s, string rule)
    {
        if (!s.Rules.Contains(rule))
        {
            s.Rules.Add(rule);
        }
    }

    private ReadOnlySpan<PhraseUse> Uses(int phrase) =>
        _rules.Uses.AsSpan(_rules.UseStart[phrase], _rules.UseStart[phrase + 1] - _rules.UseStart[phrase]);

    /// <summary>Why a rule fired: its index (or -1 and the id of a secret rule), what withheld it, the spans it matched.</summary>
    private readonly record struct Evidence(int Rule, string? Id, string? WithheldBy, List<(int Start, int End)> Spans);

    /// <summary>Per-thread working memory, reused across messages so triage allocates little more than its result.</summary>
    private sealed class Scratch
    {
        private const int KeepBelow = 1 << 16;
        private static readonly int CategoryCount = Enum.GetValues<TicketCategory>().Length;

        public char[] Folded = new char[1024];
        public readonly List<PhraseMatch> Matches = new(64);
        public readonly List<LabelMatch> Labels = new(8);
        public readonly List<SecretSpan> Secrets = new(4);
        public readonly List<EntitySpan> Entities = new(4);
        public readonly List<MnemonicScanner.Token> Tokens = new(64);
        public readonly List<string> Rules = new(16);
        public readonly List<string> Flags = new(2);
        public readonly List<int> Assets = new(4);
        public readonly List<int> Networks = new(4);
        public readonly List<(int Start, int End)> Amounts = new(4);
        public readonly List<string> OrderIds = new(2);
        public readonly List<int> SentenceStarts = new(8);
        public int[] Scores = [];
        public int[] ChainStart = [];
        public int[] ConceptSentence = [];
        public int[] ConceptStart = [];
        public int[] ConceptEnd = [];
        public bool[] CombinationMet = [];
        public ulong ConceptsSeen;
        public bool Short;

        // Only when explaining.
        public bool Explain;
        public readonly List<Evidence> Evidence = [];
        public readonly List<(int Concept, int Start, int End, int Sentence)> ConceptHits = [];
        public readonly List<string> Policies = [];
        public List<(int Start, int End)>?[] CombinationSpans = [];
        public bool[] RuleFired = [];
        public int[] Chain = [];
        public int[] LanguageScores = [];
        public uint Signals;
        public double? Opinion;
        public (TicketCategory Category, double Probability)? CategoryOpinion;
        public string? OpinionWithheldBy;
        private bool _pooled;

        public void Reset(int length, CompiledRules rules)
        {
            if (Folded.Length < length)
            {
                Folded = length > KeepBelow ? ArrayPool<char>.Shared.Rent(length) : new char[length];
                _pooled = length > KeepBelow;
            }

            Matches.Clear();
            Labels.Clear();
            Secrets.Clear();
            Entities.Clear();
            Tokens.Clear();
            Rules.Clear();
            Flags.Clear();
            Assets.Clear();
            Networks.Clear();
            Amounts.Clear();
            OrderIds.Clear();
            SentenceStarts.Clear();
            Evidence.Clear();
            ConceptHits.Clear();
            Policies.Clear();
            Explain = false;
            Short = false;
            ConceptsSeen = 0;
            Signals = 0;
            Opinion = null;
            CategoryOpinion = null;
            OpinionWithheldBy = null;
            Scores = Cleared(Scores, CategoryCount);
            RuleFired = Cleared(RuleFired, rules.RuleIds.Length);
            LanguageScores = Cleared(LanguageScores, rules.Languages.Length);
            if (Chain.Length < rules.ChainLength)
            {
                Chain = new int[rules.ChainLength];
                ChainStart = new int[rules.ChainLength];
            }

            Array.Fill(Chain, -1);
            if (ConceptSentence.Length < rules.ConceptIds.Length)
            {
                ConceptSentence = new int[rules.ConceptIds.Length];
                ConceptStart = new int[rules.ConceptIds.Length];
                ConceptEnd = new int[rules.ConceptIds.Length];
            }

            CombinationMet = Cleared(CombinationMet, rules.Combinations.Length);
            if (CombinationSpans.Length < rules.Combinations.Length)
            {
                CombinationSpans = new List<(int, int)>?[rules.Combinations.Length];
            }

            Array.Clear(CombinationSpans);
        }

        /// <summary>Hands a very long message's buffer back, so one large email does not pin memory on this thread.</summary>
        public void Release()
        {
            if (_pooled)
            {
                ArrayPool<char>.Shared.Return(Folded);
                Folded = new char[1024];
                _pooled = false;
            }

            if (Matches.Capacity > KeepBelow)
            {
                Matches.Clear();
                Matches.Capacity = 64;
            }
        }

        private static T[] Cleared<T>(T[] array, int length)
        {
            if (array.Length < length)
            {
                return new T[length];
            }

            Array.Clear(array);
            return array;
        }
    }
}
